package io.hulftark.agent.fast;

import io.hulftark.http.security.FileGuard;
import io.hulftark.app.ConfigLoader;
import io.hulftark.app.KitConfig;
import io.hulftark.app.KitContext;
import io.hulftark.app.ServerRole;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Starts the {@link FastCheckServer} with the agent (agent role only) and stops it with it. */
@ApplicationScoped
public class FastCheckService {

    private static final Logger LOG = Logger.getLogger(FastCheckService.class);

    private final FastCheckConfig config;
    private final KitConfig kitConfig;
    private FastCheckServer server;

    public FastCheckService(FastCheckConfig config, KitConfig kitConfig) {
        this.config = config;
        this.kitConfig = kitConfig;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled() || ServerRole.current() != ServerRole.AGENT) {
            return;
        }
        Optional<Path> appDir = appDir();
        if (appDir.isEmpty()) {
            LOG.warn("fast check off: the agent does not run from an application folder (quarkus-run.jar)");
            return;
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        FastCheckConfig.Transport transport = config.transport()
                .orElse(windows ? FastCheckConfig.Transport.LOOPBACK : FastCheckConfig.Transport.UNIX);
        FastCheckServer.Channel channel = transport == FastCheckConfig.Transport.UNIX
                ? new FastCheckServer.Unix(config.socket())
                : new FastCheckServer.Loopback(config.keyFile().orElseGet(() ->
                KitContext.stateDir(kitConfig, System.getenv()).resolve("fast-check.key")));
        Path cwd = Path.of("").toAbsolutePath();
        try {
            server = FastCheckServer.start(channel,
                    // The allow-list: each a read-only check, refusing any argument that is not.
                    Map.of(LifeKeeperCheck.NAME, new LifeKeeperCheck(System::getenv, cwd),
                            OcfMonitorCheck.NAME, new OcfMonitorCheck(System::getenv, cwd)),
                    () -> view(appDir.get(), cwd), config.workers(), config.requestTimeout(),
                    FileGuard.of(FileSystems.getDefault()));
            LOG.infof("fast check: answering launchers' quickCheck and OCF monitor on %s", channel);
        } catch (IOException | RuntimeException e) {
            // The launchers then start their JVM, as without the agent: nothing is lost but time.
            LOG.warnf("fast check off: %s", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }

    static List<String> view(Path appDir, Path cwd) {
        try {
            return FastCheckView.of(appDir, cwd, System.getenv(), System.getProperties(),
                    System.getProperty("user.name"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder of quarkus-run.jar, as ConfigLoader finds it. */
    static Optional<Path> appDir() {
        try {
            Path jar = Path.of(ConfigLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.getParent() == null ? null : jar.getParent().getParent();
            return dir != null && Files.isRegularFile(dir.resolve("quarkus-run.jar")) ? Optional.of(dir) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
