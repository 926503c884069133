package io.hulftark.app;

import io.hulftark.hulft.HulEnv;
import io.hulftark.hulft.HulEnvException;
import io.hulftark.hulft.HulEnvReader;
import io.hulftark.hulft.HulftCommands;
import io.hulftark.kit.KitParameters;
import io.hulftark.lifekeeper.LifeKeeperDefaults;
import io.hulftark.kit.ServiceNames;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** What {@code validate} checks: the prerequisites of spec section 2 that this node can see. */
public final class Preflight {

    public enum Result { OK, WARN, FAIL }

    public record Row(String check, Result result, String detail) { }

    private static final Duration RESOLVE_BOUND = Duration.ofSeconds(5);
    /** Loopback answers at once or not at all: a short bound keeps a standby's preflight quick. */
    private static final Duration HELD_BOUND = Duration.ofMillis(500);

    private final KitContext context;
    private final KitParameters p;
    private final List<Row> rows = new ArrayList<>();
    /** The service's state and start type as this run saw them; null when they could not be told. */
    private ServiceState state;
    private StartType startType;

    public Preflight(KitContext context) {
        this.context = context;
        this.p = context.parameters();
    }

    public List<Row> run(String tag) {
        add("platform", Result.OK, context.platform().name() + ": " + context.platform().why());
        lifeKeeper();
        Optional<String> service = service(tag);
        service.ifPresent(this::serviceChecks);
        exePath();
        HulEnv env = confFile();
        if (env != null) {
            ports(env);
            portsHeld(env);
            hostName(env);
        }
        stateDir();
        return List.copyOf(rows);
    }

    /** The service's start type as the last {@link #run} saw it, if it could be told. */
    public Optional<StartType> startType() {
        return Optional.ofNullable(startType);
    }

    /** Whether the last {@link #run} found the service cleanly out of the way: a standby, or not installed. */
    private boolean standby() {
        return state != null && state != ServiceState.RUNNING && !state.pending();
    }

    private void lifeKeeper() {
        if (context.defaultsFile().isEmpty()) {
            add("LifeKeeper defaults", Result.WARN, "LKROOT is not set: LKHULFT_* take their defaults");
            return;
        }
        Path file = context.defaultsFile().get();
        // Read again: an agent's preflight runs for weeks, and shows what the next kit run would use.
        LifeKeeperDefaults d = LifeKeeperDefaults.read(file);
        String values = "LKHULFT_TIMEOUT=" + d.timeout().toSeconds() + " LKHULFT_RETRIES=" + d.retries()
                + " LKHULFT_FORCE_REMOVE=" + (d.forceRemove() ? 1 : 0);
        add("LifeKeeper defaults", d.warnings().isEmpty() ? Result.OK : Result.FAIL,
                d.warnings().isEmpty() ? file + ": " + values : String.join("; ", d.warnings()));
    }

    private Optional<String> service(String tag) {
        ServiceNames.Lookup found = context.serviceNames().lookup(tag);
        if (found instanceof ServiceNames.Lookup.Found f) {
            add("resource " + tag, Result.OK, "service name \"" + f.service() + "\"");
            return Optional.of(f.service());
        }
        String detail = found instanceof ServiceNames.Lookup.NoSuchResource r ? "no such resource: " + r.detail()
                : found instanceof ServiceNames.Lookup.NoServiceName r ? "no service name: " + r.detail()
                : ((ServiceNames.Lookup.Failed) found).detail();
        add("resource " + tag, Result.FAIL, detail);
        return Optional.empty();
    }

    private void serviceChecks(String service) {
        try {
            state = context.platform().services().state(service, p.commandBound());
            add("service exists", state == ServiceState.NOT_INSTALLED ? Result.FAIL : Result.OK,
                    state == ServiceState.NOT_INSTALLED ? service + " is not installed on this node"
                            : service + " is " + state.name().toLowerCase(java.util.Locale.ROOT));
        } catch (PlatformException e) {
            add("service exists", Result.FAIL, e.getMessage());
            return;
        }
        try {
            StartType type = context.platform().services().startType(service, p.commandBound());
            startType = type;
            boolean automatic = type == StartType.AUTO || type == StartType.DELAYED_AUTO;
            if (automatic && standby()) {
                // After the standby's next reboot HULFT runs on both nodes: the active one's ports clash.
                add("start type", Result.FAIL, type.word() + ": starts at boot on a standby: both nodes would run HULFT");
                return;
            }
            add("start type", type == StartType.DEMAND ? Result.OK : Result.WARN, type.word()
                    + (type == StartType.DEMAND ? "" : ": remove will change it to demand (manual)"));
        } catch (PlatformException e) {
            add("start type", Result.FAIL, e.getMessage());
        }
    }

    private void exePath() {
        if (p.exePath().isEmpty()) {
            add("exe_path", Result.FAIL, "hulftark.exe-path is not set");
            return;
        }
        Path exe = p.exePath().get();
        if (!Files.isDirectory(exe)) {
            add("exe_path", Result.FAIL, exe + " is not a folder");
            return;
        }
        add("exe_path", Result.OK, exe.toString());
        HulftCommands commands = new HulftCommands(exe, p.windows());
        add("service control command", commands.serviceControl().isPresent() ? Result.OK : Result.FAIL,
                commands.serviceControl().map(Path::toString).orElse("neither utlsvcctl nor utlsvctl in " + exe));
        if (p.probe() == KitParameters.ProbeKind.UTLALIVECHECK) {
            add("utlalivecheck", commands.aliveCheck().isPresent() ? Result.OK : Result.FAIL,
                    commands.aliveCheck().map(Path::toString).orElse("not in " + exe));
        } else {
            add("port probe", Result.OK, "tcp (hulftark.probe=tcp)");
        }
    }

    private HulEnv confFile() {
        if (p.confFile().isEmpty()) {
            add("conf_file", Result.FAIL, "hulftark.conf-file is not set");
            return null;
        }
        try {
            HulEnv env = HulEnvReader.read(p.confFile().get());
            add("conf_file", Result.OK, p.confFile().get().toString());
            return env;
        } catch (HulEnvException e) {
            if (standby() && context.config() != null && context.config().confFileShared()) {
                // On the shared disk, in service on the other node: read there (hulftark.conf-file-shared=true).
                add("conf_file", Result.WARN, e.getMessage() + " (hulftark.conf-file-shared: on the shared disk, "
                        + "read where HULFT is in service)");
                return null;
            }
            add("conf_file", Result.FAIL, e.getMessage());
            return null;
        }
    }

    private void ports(HulEnv env) {
        if (env.ports().isEmpty()) {
            add("ports", Result.WARN, "no port is set: quickCheck checks none");
            return;
        }
        Map<Integer, String> seen = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        env.ports().forEach((key, port) -> {
            String before = seen.putIfAbsent(port, key);
            if (before != null) {
                clashes.add(before + " and " + key + " are both " + port);
            }
        });
        add("ports", clashes.isEmpty() ? Result.OK : Result.FAIL,
                clashes.isEmpty() ? env.ports().toString() : String.join("; ", clashes));
    }

    /**
     * On a standby no port of HULFT's may be taken: whatever answers on it is another process, and HULFT could not
     * start there after a failover. Loopback only, a short bound per port.
     */
    private void portsHeld(HulEnv env) {
        if (!standby() || env.ports().isEmpty()) {
            return;
        }
        String address = loopback(p.probeHostFor(env));
        List<String> held = new ArrayList<>();
        env.ports().forEach((key, port) -> {
            if (answers(address, port)) {
                held.add("port " + port + " (" + key + ") is held by another process");
            }
        });
        add("ports free", held.isEmpty() ? Result.OK : Result.FAIL, held.isEmpty()
                ? "no process listens on " + env.ports().values() + " on " + address : String.join("; ", held));
    }

    /**
     * 127.0.0.1, or the node's own loopback address where its HULFT host is one (nodes simulated on one machine,
     * as the demo's, each listen on their own 127.x). Never the virtual IP: it is the active node's.
     */
    static String loopback(String host) {
        return host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") ? host : "127.0.0.1";
    }

    private static boolean answers(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) HELD_BOUND.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void hostName(HulEnv env) {
        Optional<String> host = p.probeHost().or(env::myHostName);
        if (host.isEmpty()) {
            add("myhostname", Result.FAIL, "not set in the conf_file: it must be the virtual IP's host name");
            return;
        }
        // The resolver can hang on a broken DNS; bound it like every other probe.
        CompletableFuture<String> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(host.get()).getHostAddress();
            } catch (Exception e) {
                return null;
            }
        });
        String address;
        try {
            address = lookup.get(RESOLVE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            address = null;
        }
        add("myhostname", address == null ? Result.FAIL : Result.OK,
                host.get() + (address == null ? " does not resolve" : " resolves to " + address));
    }

    private void stateDir() {
        Path dir = context.stateDir();
        try {
            Files.createDirectories(dir);
            add("state dir", Files.isWritable(dir) ? Result.OK : Result.FAIL,
                    dir + (Files.isWritable(dir) ? "" : " is not writable"));
        } catch (Exception e) {
            add("state dir", Result.FAIL, "cannot create " + dir + ": " + e.getMessage());
        }
    }

    private void add(String check, Result result, String detail) {
        rows.add(new Row(check, result, detail));
    }
}
