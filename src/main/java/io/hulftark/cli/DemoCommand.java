package io.hulftark.cli;

import io.hulftark.app.ConfigLoader;
import io.hulftark.app.KitContext;
import io.hulftark.app.KitRunner;
import io.hulftark.kit.Action;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "demo", header = "Run the kit against a simulated HULFT: restore, quickCheck, a crash, recover, remove.",
        description = "Lays out a simulated HULFT installation (real processes on real loopback ports) and a "
                + "stand-in LifeKeeper, then runs the actions as LifeKeeper would. Exits 0 when every action "
                + "ends as expected.", showDefaultValues = true)
public class DemoCommand implements Callable<Integer> {

    static final String TAG = "hulft-demo";

    @ParentCommand
    HulftArkCommand top;

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to lay out the simulation (default: a new temporary folder).")
    Path dir;

    @Option(names = "--keep", description = "Leave the simulation's folder in place afterwards.")
    boolean keep;

    @Option(names = "--probe", defaultValue = "utlalivecheck", paramLabel = "KIND",
            description = "How ports are checked: utlalivecheck or tcp.")
    String probe;

    private record Step(String title, Action action, int expected) { }

    @Override
    public Integer call() throws IOException {
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
