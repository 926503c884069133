package io.hulftark.bench;

import io.hulftark.agent.CheckResult;
import io.hulftark.agent.Checker;
import io.hulftark.agent.ResourceDirectory;
import io.hulftark.wire.Status;
import io.hulftark.hulft.TcpProbe;
import io.hulftark.kit.KitParameters;
import io.hulftark.platform.ServiceControl;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One agent check of five ports on loopback with the tcp probe, timed N times in one JVM (after a
 * warm-up): {@code java -cp target/classes:target/test-classes io.hulftark.bench.CheckBench [N]}.
 * The ports are real listening sockets; the service-state query answers "running" from memory,
 * because it is the platform's (an SCM call on Windows) and not the agent's own time.
 */
public final class CheckBench {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        List<ServerSocket> listeners = new ArrayList<>();
        StringBuilder cnf = new StringBuilder("myhostname=127.0.0.1\n");
        for (String key : List.of("rcvport", "obsport", "sddport", "srvcproport", "schport")) {
            ServerSocket s = new ServerSocket(0, 200, java.net.InetAddress.getLoopbackAddress());
            listeners.add(s);
            cnf.append(key).append('=').append(s.getLocalPort()).append('\n');
            Thread t = new Thread(() -> accept(s), "accept-" + key);
            t.setDaemon(true);
            t.start();
        }
        Path conf = Files.createTempFile("hulenv", ".cnf");
        Files.writeString(conf, cnf);
        KitParameters p = new KitParameters(Optional.of(conf.getParent()), Optional.of(conf), false, 2,
                Duration.ofSeconds(300), true, KitParameters.ProbeKind.TCP, Optional.empty(), Duration.ofSeconds(5),
                Duration.ofSeconds(5), false);
        ServiceControl running = new ServiceControl() {
            @Override
            public ServiceState state(String service, Duration bound) {
                return ServiceState.RUNNING;
            }

            @Override
            public StartType startType(String service, Duration bound) {
                return StartType.DEMAND;
            }

            @Override
            public void setDemandStart(String service, Duration bound) {
            }
        };
        Checker checker = new Checker(p, running, new TcpProbe(),
                new ResourceDirectory(Map.of("hulft", "HULFT8"), Optional.empty()), Clock.systemUTC());
        for (int i = 0; i < 1000; i++) {
            check(checker);
        }
        long[] micros = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            check(checker);
            micros[i] = (System.nanoTime() - t0) / 1000;
        }
        Arrays.sort(micros);
        System.out.printf("agent check, 5 ports, tcp probe, %d runs: p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n",
                runs, at(micros, 0.50), at(micros, 0.90), at(micros, 0.99), micros[runs - 1] / 1000.0);
        Files.delete(conf);
        for (ServerSocket s : listeners) {
            s.close();
        }
    }

    private static void check(Checker checker) {
        CheckResult r = checker.check("hulft");
        if (r.observed() != Status.RUNNING) {
            throw new IllegalStateException("the check failed: " + r.reason() + " " + r.ports());
        }
    }

    static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
    }

    private static void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try (Socket c = s.accept()) {
                c.getInputStream().read(); // wait for the probe to close first, as HULFT would
            } catch (IOException e) {
                return;
            }
        }
    }
}
