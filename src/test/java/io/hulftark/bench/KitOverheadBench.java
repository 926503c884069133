package io.hulftark.bench;

import io.hulftark.kit.Action;
import io.hulftark.kit.Kit;
import io.hulftark.kit.KitParameters;
import io.hulftark.kit.Timing;
import io.hulftark.lifekeeper.InsList;
import io.hulftark.platform.CommandResult;
import io.hulftark.platform.CommandRunner;
import io.hulftark.platform.FileActionLocks;
import io.hulftark.platform.ProcessCommandRunner;
import io.hulftark.platform.command.CommandServiceControl;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the kit adds to restore and remove beyond the commands it runs: N restore/remove cycles on a
 * simulated HULFT with five ports (tcp probe), each action's time less the time spent inside
 * external commands (utlsvcctl, the state query, ins_list).
 * {@code java -cp target/classes:target/test-classes io.hulftark.bench.KitOverheadBench [N]}
 */
public final class KitOverheadBench {

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path home = Files.createTempDirectory("kit-bench");
        SimSpec.Builder spec = SimSpec.builder().resource("hulft", SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            try (ServerSocket s = new ServerSocket(0)) {
                spec.port(key, s.getLocalPort());
            }
        }
        SimInstallation sim = SimInstallation.create(home.resolve("hulft"), spec.build());
        AtomicLong inCommands = new AtomicLong();
        ProcessCommandRunner real = new ProcessCommandRunner();
        CommandRunner timed = (argv, bound) -> {
            long t0 = System.nanoTime();
            CommandResult r = real.run(argv, bound);
            inCommands.addAndGet(System.nanoTime() - t0);
            return r;
        };
        KitParameters p = new KitParameters(Optional.of(sim.binDir()), Optional.of(sim.confFile()), false, 2,
                Duration.ofSeconds(300), true, KitParameters.ProbeKind.TCP, Optional.empty(), Duration.ofSeconds(60),
                Duration.ofSeconds(15), false);
        Kit kit = new Kit(p, new InsList(sim.insListCommand(), timed, Duration.ofSeconds(30)),
                new CommandServiceControl(timed, List.of(sim.statusCommand().toString(), "{service}"),
                        List.of(sim.startTypeCommand().toString(), "{service}"),
                        List.of(sim.setDemandCommand().toString(), "{service}")),
                timed, new FileActionLocks(home.resolve("state")), (m, a) -> System.err.println(m.line(a)), Timing.SYSTEM);
        long[] restore = new long[cycles];
        long[] remove = new long[cycles];
        try {
            for (int i = 0; i < cycles; i++) {
                restore[i] = overhead(kit, Action.RESTORE, inCommands);
                remove[i] = overhead(kit, Action.REMOVE, inCommands);
            }
        } finally {
            sim.stopNow();
        }
        System.out.printf("kit's own time (action less its external commands), %d cycles: restore median %.1f ms"
                + " max %.1f ms; remove median %.1f ms max %.1f ms%n", cycles, median(restore), max(restore),
                median(remove), max(remove));
    }

    private static long overhead(Kit kit, Action action, AtomicLong inCommands) {
        inCommands.set(0);
        long t0 = System.nanoTime();
        int code = kit.run(action, "hulft");
        long total = System.nanoTime() - t0;
        if (code != 0) {
            throw new IllegalStateException(action.word() + " ended with " + code);
        }
        return (total - inCommands.get()) / 1000;
    }

    private static double median(long[] micros) {
        long[] s = micros.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1000.0;
    }

    private static double max(long[] micros) {
        return Arrays.stream(micros).max().orElse(0) / 1000.0;
    }
}
