package io.hulftark.app;

import io.hulftark.kit.KitParameters;
import io.hulftark.kit.ServiceNames;
import io.hulftark.lifekeeper.LifeKeeperDefaults;
import io.hulftark.platform.Platform;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceControl;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preflight's standby checks (issue 13): on a node where the service does not run, a port of hulenv.cnf that
 * another process holds and a start type that starts HULFT at boot are failures; where it runs, they are not.
 * Real sockets on loopback stand for the other process.
 */
class PreflightTest {

    @TempDir
    Path dir;
    private ServerSocket held;
    private int heldPort;
    private int freePort;
    private String myHostName = "localhost";

    @BeforeEach
    void ports() throws IOException {
        held = new ServerSocket();
        held.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        heldPort = held.getLocalPort();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            freePort = s.getLocalPort(); // closed again: nothing listens there
        }
    }

    @AfterEach
    void close() throws IOException {
        held.close();
    }

    @Test
    void aStandbysPortThatAnotherProcessHoldsFails() throws IOException {
        List<Preflight.Row> rows = run(ServiceState.STOPPED, StartType.DEMAND);

        Preflight.Row free = row(rows, "ports free");
        assertThat(free.result()).isEqualTo(Preflight.Result.FAIL);
        assertThat(free.detail()).isEqualTo("port " + heldPort + " (rcvport) is held by another process");
    }

    @Test
    void aStandbysFreePortsAreOk() throws IOException {
        held.close();

        Preflight.Row free = row(run(ServiceState.STOPPED, StartType.DEMAND), "ports free");

        assertThat(free.result()).isEqualTo(Preflight.Result.OK);
        assertThat(free.detail()).contains(String.valueOf(heldPort)).contains(String.valueOf(freePort));
    }

    @Test
    void nodesSimulatedOnOneMachineEachLookOnTheirOwnLoopbackAddress() throws IOException {
        myHostName = "127.0.0.2"; // as the demo's node-b: node-a's HULFT on 127.0.0.1 is another host's

        Preflight.Row free = row(run(ServiceState.STOPPED, StartType.DEMAND), "ports free");

        assertThat(free.result()).isEqualTo(Preflight.Result.OK);
        assertThat(free.detail()).endsWith("on 127.0.0.2");
        assertThat(Preflight.loopback("hulft-vip")).as("a virtual IP is the active node's").isEqualTo("127.0.0.1");
        assertThat(Preflight.loopback("10.0.0.5")).isEqualTo("127.0.0.1");
    }

    @Test
    void whereTheServiceRunsItsPortsAreItsOwn() throws IOException {
        List<Preflight.Row> rows = run(ServiceState.RUNNING, StartType.DEMAND);

        assertThat(rows).extracting(Preflight.Row::check).doesNotContain("ports free");
    }

    @Test
    void anAutomaticStartOnAStandbyFails() throws IOException {
        for (StartType automatic : List.of(StartType.AUTO, StartType.DELAYED_AUTO)) {
            Preflight.Row start = row(run(ServiceState.STOPPED, automatic), "start type");

            assertThat(start.result()).as(automatic.word()).isEqualTo(Preflight.Result.FAIL);
            assertThat(start.detail()).isEqualTo(automatic.word()
                    + ": starts at boot on a standby: both nodes would run HULFT");
        }
    }

    @Test
    void anAutomaticStartWhereTheServiceRunsStaysAWarning() throws IOException {
        Preflight.Row start = row(run(ServiceState.RUNNING, StartType.AUTO), "start type");

        assertThat(start.result()).isEqualTo(Preflight.Result.WARN);
        assertThat(start.detail()).isEqualTo("auto: remove will change it to demand (manual)");
    }

    @Test
    void aDemandStartOnAStandbyIsOkAndItsStartTypeIsKept() throws IOException {
        Preflight preflight = preflight(ServiceState.STOPPED, StartType.DEMAND);

        assertThat(row(preflight.run("hulft"), "start type").result()).isEqualTo(Preflight.Result.OK);
        assertThat(preflight.startType()).contains(StartType.DEMAND);
    }

    @Test
    void anUnreadableConfFileOnAStandbyFailsUnlessItIsOnTheSharedDisk() throws IOException {
        for (boolean shared : List.of(false, true)) {
            KitContext base = context(new Services(ServiceState.STOPPED, StartType.DEMAND));
            Path conf = base.parameters().confFile().orElseThrow();
            Files.delete(conf);
            Files.createDirectory(conf); // a folder where the file was: unreadable, for root too
            Preflight.Row row = row(new Preflight(withConfig(base, shared)).run("hulft"), "conf_file");

            assertThat(row.result()).as("shared " + shared).isEqualTo(shared ? Preflight.Result.WARN
                    : Preflight.Result.FAIL);
            assertThat(row.detail()).as("shared " + shared).contains(conf.toString());
            if (shared) {
                assertThat(row.detail()).contains("hulftark.conf-file-shared");
            }
            Files.delete(conf);
        }
        // Where HULFT runs, the shared disk is in service: an unreadable conf_file fails there.
        KitContext active = context(new Services(ServiceState.RUNNING, StartType.DEMAND));
        Path conf = active.parameters().confFile().orElseThrow();
        Files.delete(conf);
        Files.createDirectory(conf);
        assertThat(row(new Preflight(withConfig(active, true)).run("hulft"), "conf_file").result())
                .isEqualTo(Preflight.Result.FAIL);
    }

    /** The context with a configuration that says only whether hulenv.cnf is on the shared disk. */
    private static KitContext withConfig(KitContext c, boolean shared) {
        KitConfig config = (KitConfig) java.lang.reflect.Proxy.newProxyInstance(KitConfig.class.getClassLoader(),
                new Class<?>[]{KitConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("confFileShared")) {
                        return shared;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new KitContext(config, c.platform(), c.lkroot(), c.defaultsFile(), c.defaults(), c.parameters(),
                c.serviceNames(), c.stateDir(), c.reporter());
    }

    @Test
    void whenTheServiceCannotBeAskedNoStandbyCheckGuesses() throws IOException {
        ServiceControl broken = new Services(null, null);
        List<Preflight.Row> rows = new Preflight(context(broken)).run("hulft");

        assertThat(rows).extracting(Preflight.Row::check).doesNotContain("ports free");
        assertThat(row(rows, "service exists").result()).isEqualTo(Preflight.Result.FAIL);
    }

    private List<Preflight.Row> run(ServiceState state, StartType type) throws IOException {
        return preflight(state, type).run("hulft");
    }

    private Preflight preflight(ServiceState state, StartType type) throws IOException {
        return new Preflight(context(new Services(state, type)));
    }

    private KitContext context(ServiceControl services) throws IOException {
        Path exe = Files.createDirectories(dir.resolve("bin"));
        Path conf = dir.resolve("hulenv.cnf");
        Files.writeString(conf, "rcvport=" + heldPort + "\nobsport=" + freePort + "\nmyhostname=" + myHostName + "\n");
        KitParameters p = new KitParameters(Optional.of(exe), Optional.of(conf), false, 2, Duration.ofSeconds(300),
                true, KitParameters.ProbeKind.TCP, Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(5),
                false);
        Platform platform = new Platform("command", "test", false, services, null, null);
        ServiceNames names = tag -> new ServiceNames.Lookup.Found("HULFT Service");
        return new KitContext(null, platform, Optional.empty(), Optional.empty(), LifeKeeperDefaults.builtIn(), p,
                names, dir.resolve("state"), (message, args) -> { });
    }

    private static Preflight.Row row(List<Preflight.Row> rows, String check) {
        return rows.stream().filter(r -> r.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + check + " in " + rows));
    }

    /** A service in a fixed state with a fixed start type; null: the question fails. */
    private record Services(ServiceState state, StartType type) implements ServiceControl {
        @Override
        public ServiceState state(String service, Duration bound) {
            if (state == null) {
                throw new PlatformException("the service manager does not answer");
            }
            return state;
        }

        @Override
        public StartType startType(String service, Duration bound) {
            if (type == null) {
                throw new PlatformException("the service manager does not answer");
            }
            return type;
        }

        @Override
        public void setDemandStart(String service, Duration bound) {
            throw new PlatformException("not used by the preflight");
        }
    }
}
