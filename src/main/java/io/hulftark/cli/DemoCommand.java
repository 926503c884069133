package io.hulftark.cli;

import io.hulftark.app.ConfigLoader;
import io.hulftark.app.KitContext;
import io.hulftark.app.KitRunner;
import io.hulftark.demo.Demo;
import io.hulftark.demo.DemoLog;
import io.hulftark.demo.FaultKind;
import io.hulftark.kit.Action;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "demo", header = "Watch a fleet of simulated HULFT clusters fail and recover, live on the fleet view's dashboard.",
        description = {"Starts the fleet view (embedded store) and several simulated two-node HULFT clusters: per node a "
                + "simulated HULFT on its own loopback address and a real agent that reports to the fleet view. The demo "
                + "plays LifeKeeper (fails over when the active node fails) and now and then injects a fault: crash, "
                + "refused-port, hung-start, split or unready-standby (a standby whose conf_file cannot be read: the "
                + "cluster turns DEGRADED). With three clusters or more, the last one's node-b has another "
                + "LKHULFT_TIMEOUT from the start: drift the fleet view shows. It prints the dashboard's URL and an "
                + "operator token first. "
                + "Ctrl-C (or the end of --duration) stops every process it started and removes its folder.",
                "With --kit: the recovery kit alone against one simulated HULFT (restore, quickCheck, a crash, recover, "
                + "remove), exit 0 when every action ends as expected."},
        showDefaultValues = true)
public class DemoCommand implements Callable<Integer> {

    static final String TAG = "hulft-demo";

    @ParentCommand
    HulftArkCommand top;

    @Spec
    CommandSpec spec;

    @Option(names = "--clusters", defaultValue = "3", paramLabel = "N", description = "How many two-node clusters (1 to 20).")
    int clusters;

    @Option(names = "--port", defaultValue = "8690", paramLabel = "PORT", description = "The fleet view's port.")
    int fleetPort;

    @Option(names = "--agent-ports", defaultValue = "8701", paramLabel = "FIRST",
            description = "The first agent's port; the others follow (two per cluster).")
    int firstAgentPort;

    @Option(names = "--faults", defaultValue = "crash,refused-port,hung-start,split,unready-standby", split = ",",
            paramLabel = "KIND", converter = FaultKindConverter.class,
            description = "The faults to choose from (crash, refused-port, hung-start, split, unready-standby), or none.")
    List<FaultKind> faults;

    @Option(names = "--fault-every", defaultValue = "20s..40s", paramLabel = "MIN..MAX",
            description = "The wait before each fault, at random between MIN and MAX (e.g. 30s, 10s..20s, 2m); a "
                    + "cluster's next fault waits until it has been in service longer than the fleet view's flapping window.")
    String faultEvery;

    @Option(names = "--duration", paramLabel = "TIME",
            description = "End by itself TIME (e.g. 90s, 5m) after everything is up, instead of at Ctrl-C.")
    String duration;

    @Option(names = "--no-fleet", description = "Run the clusters without the fleet view (the agents report nowhere).")
    boolean noFleet;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to lay out the demo (default: a new temporary folder).")
    Path dir;

    @Option(names = "--keep", description = "Leave the demo's folder in place afterwards (logs of every process).")
    boolean keep;

    @Option(names = "--kit", description = "The recovery kit alone against one simulated HULFT, as LifeKeeper runs it.")
    boolean kit;

    @Option(names = "--probe", defaultValue = "utlalivecheck", paramLabel = "KIND",
            description = "With --kit: how ports are checked, utlalivecheck or tcp.")
    String probe;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (kit) {
            return kitWalkThrough();
        }
        PrintWriter out = spec.commandLine().getOut();
        Duration[] gap = gap(faultEvery);
        Optional<Duration> until = duration == null ? Optional.empty() : Optional.of(duration("--duration", duration));
        if (clusters < 1 || clusters > 20) {
            throw new ParameterException(spec.commandLine(), "--clusters must be from 1 to 20, not " + clusters);
        }
        List<FaultKind> kinds = faults.stream().filter(k -> k != null).toList();
        Demo demo = new Demo(new Demo.Settings(clusters, !noFleet, fleetPort, firstAgentPort, kinds, gap[0], gap[1],
                dir, keep, appJar(), Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                new DemoLog(out, Clock.systemDefaultZone()), Clock.systemDefaultZone());
        try {
            demo.preflight();
        } catch (Demo.CannotStart e) {
            spec.commandLine().getErr().println("hulft-ark: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return ExitCodes.FAILED;
        }
        // Ctrl-C runs the hook; the normal end (--duration) runs close() itself, and the hook then does nothing.
        Thread hook = new Thread(demo::close, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return demo.run(until) == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        } finally {
            demo.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs already
            }
        }
    }

    /** "30s", "10s..40s": the shortest and longest wait between faults. */
    private Duration[] gap(String text) {
        String[] parts = text.split("\\.\\.", -1);
        if (parts.length > 2) {
            throw new ParameterException(spec.commandLine(), "--fault-every must be TIME or MIN..MAX, not " + text);
        }
        Duration min = duration("--fault-every", parts[0]);
        Duration max = parts.length == 2 ? duration("--fault-every", parts[1]) : min;
        if (min.isZero() || max.compareTo(min) < 0) {
            throw new ParameterException(spec.commandLine(), "--fault-every needs 0 < MIN <= MAX, not " + text);
        }
        return new Duration[] {min, max};
    }

    /** 500ms, 30s, 5m, 1h (a bare number is seconds). */
    private Duration duration(String option, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)?").matcher(text.strip());
        if (!m.matches()) {
            throw new ParameterException(spec.commandLine(), option + ": '" + text + "' is not a time like 30s, 5m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** quarkus-run.jar of this build: every child runs the same build as this process. */
    static Path appJar() {
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (entry.endsWith("quarkus-run.jar")) {
                return Path.of(entry).toAbsolutePath();
            }
        }
        try {
            // Quarkus loads our classes from quarkus-app/app/hulft-ark.jar: quarkus-run.jar is two folders up.
            Path here = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return here.getParent().getParent().resolve("quarkus-run.jar");
        } catch (Exception e) {
            return Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        }
    }

    static final class FaultKindConverter implements ITypeConverter<FaultKind> {
        @Override
        public FaultKind convert(String value) {
            if (value.equals("none")) {
                return null;
            }
            FaultKind k = FaultKind.parse(value);
            if (k == null) {
                throw new TypeConversionException("'" + value + "' is not a fault: use " + FaultKind.words() + " or none");
            }
            return k;
        }
    }

    private record Step(String title, Action action, int expected) { }

    private Integer kitWalkThrough() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path home = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("hulft-ark-demo");
        SimSpec.Builder sim = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            sim.port(key, freePort());
        }
        SimInstallation hulft = SimInstallation.create(home.resolve("hulft"), sim.build());
        out.println("Simulated HULFT \"" + hulft.serviceName() + "\" in " + hulft.home() + ", ports " + hulft.ports());
        boolean asExpected = true;
        try {
            KitContext context = KitContext.create(ConfigLoader.load(top.env(), settings(hulft, home)), top.env(), out);
            List<Step> steps = List.of(
                    new Step("restore: bring HULFT into service", Action.RESTORE, 0),
                    new Step("quickCheck: HULFT runs and every port answers", Action.QUICK_CHECK, 0),
                    new Step(null, null, 0),
                    new Step("quickCheck: finds the fault (LifeKeeper would now run recover)", Action.QUICK_CHECK, 1),
                    new Step("recover: remove, then restore", Action.RECOVER, 0),
                    new Step("quickCheck: healthy again", Action.QUICK_CHECK, 0),
                    new Step("remove: take HULFT out of service", Action.REMOVE, 0));
            int n = 0;
            for (Step step : steps) {
                n++;
                if (step.action() == null) {
                    out.println(n + ". fault: the HULFT service process is killed");
                    hulft.crash();
                    continue;
                }
                out.println(n + ". " + step.title());
                out.flush();
                long t0 = System.nanoTime();
                int code = KitRunner.run(context, step.action(), TAG);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                boolean ok = code == step.expected();
                asExpected &= ok;
                out.println("   exit " + code + " in " + ms + " ms" + (ok ? "" : "  <-- expected " + step.expected()));
            }
        } finally {
            hulft.stopNow();
            if (!keep) {
                deleteTree(home);
            }
        }
        out.println(asExpected ? "Every action ended as expected." : "Some action did not end as expected.");
        return asExpected ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private Map<String, String> settings(SimInstallation hulft, Path home) {
        Map<String, String> m = new HashMap<>(SimSettings.of(hulft, home.resolve("state")));
        m.put("hulftark.probe", probe);
        return m;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
