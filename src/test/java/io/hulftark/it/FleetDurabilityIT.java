package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.wire.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * "Acknowledged means kept", with the packaged fleet view and its embedded store: a 202 survives a SIGKILL of the
 * process, and a full disk (an 8 MB tmpfs under the store) answers 503 naming the disk, makes readiness DOWN,
 * loses nothing it acknowledged, grows no trace or log file, recovers by itself when space returns, and still
 * stops promptly on SIGTERM.
 */
class FleetDurabilityIT {

    private static final String PAD = "x".repeat(400); // a report's event worth filling a disk with

    @TempDir
    Path dir;

    /** Agents posting reports as fast as the fleet view takes them, each event text unique; remembers what got a 202. */
    static final class Senders implements AutoCloseable {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final List<HttpResponse<String>> unavailable = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<AtomicLong> seqs;
        private final List<String> tokens;
        private final List<String> clusters;

        Senders(List<String> clusters, List<String> tokens, List<AtomicLong> seqs) {
            this.clusters = clusters;
            this.tokens = tokens;
            this.seqs = seqs;
        }

        Senders start(FleetProcess fleet, String pad) {
            stop.set(false);
            for (int i = 0; i < clusters.size(); i++) {
                int k = i;
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        long seq = seqs.get(k).incrementAndGet();
                        String text = clusters.get(k) + "#" + seq + " " + pad;
                        HttpResponse<String> r;
                        try {
                            r = fleet.post("/api/v1/fleet/reports", tokens.get(k),
                                    FleetIT.report(clusters.get(k), "n1", seq, Status.RUNNING, text));
                        } catch (Exception gone) { // killed, stopped, or not listening: not acknowledged
                            statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
                            pause(50);
                            continue;
                        }
                        statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        if (r.statusCode() == 202) {
                            acknowledged.add(text);
                        } else if (r.statusCode() == 503) {
                            synchronized (unavailable) {
                                if (unavailable.size() < 10) {
                                    unavailable.add(r);
                                }
                            }
                            pause(20);
                        }
                    }
                }, "sender-" + clusters.get(k));
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            return this;
        }

        int count(int status) {
            AtomicInteger n = statuses.get(status);
            return n == null ? 0 : n.get();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(35_000);
            }
            threads.clear();
        }

        private static void pause(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Senders senders(Path tokens, String prefix, int n) {
        List<String> clusters = new ArrayList<>();
        List<String> reporterTokens = new ArrayList<>();
        List<AtomicLong> seqs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            clusters.add(prefix + i);
            reporterTokens.add(FleetProcess.reporter(tokens, prefix + i));
            seqs.add(new AtomicLong());
        }
        return new Senders(clusters, reporterTokens, seqs);
    }

    /** Every event text the fleet view keeps, read through its API. */
    static Set<String> keptTexts(FleetProcess fleet) throws Exception {
        Set<String> texts = new HashSet<>();
        long after = 0;
        while (true) {
            JsonNode page = FleetIT.json(fleet.get("/api/v1/fleet/events?limit=1000&afterId=" + after,
                    FleetProcess.VIEWER));
            if (page.isEmpty()) {
                return texts;
            }
            for (JsonNode e : page) {
                texts.add(e.path("text").asText());
                after = Math.max(after, e.path("id").asLong());
            }
        }
    }

    @Test
    void everyReportAnswered202SurvivesASigkill() throws Exception {
        Path state = dir.resolve("state");
        Path tokens = state.resolve("tokens");
        Files.createDirectories(state);
        int port = AgentProcess.freePort();
        Set<String> acknowledged = new HashSet<>();
        Senders senders = null;
        for (int round = 1; round <= 4; round++) {
            try (FleetProcess fleet = new FleetProcess(Map.of(), state, tokens, port).start()) {
                if (senders == null) {
                    senders = senders(tokens, "kill", 4);
                }
                Set<String> kept = keptTexts(fleet);
                assertThat(kept).as("round %d: every event answered 202 before the kill is kept", round)
                        .containsAll(acknowledged);
                int before = senders.acknowledged.size();
                senders.start(fleet, "");
                Thread.sleep(2000 + ThreadLocalRandom.current().nextInt(2000));
                fleet.kill(); // mid-stream: requests in flight on every sender
                senders.close();
                acknowledged.addAll(senders.acknowledged);
                assertThat(senders.acknowledged.size() - before).as("round %d: reports were taken before the kill", round)
                        .isGreaterThan(5);
            }
        }
        try (FleetProcess fleet = new FleetProcess(Map.of(), state, tokens, port).start()) {
            assertThat(keptTexts(fleet)).as("after the last kill").containsAll(acknowledged);
            assertThat(senders.count(-1)).as("requests cut by the kills").isPositive();
        }
    }

    @Test
    void aFullDiskAnswers503LosesNothingAndRecoversByItself() throws Exception {
        Path state = dir.resolve("state");
        Path store = state.resolve("fleet"); // H2's folder: STATE_DIR/fleet
        Files.createDirectories(store);
        // Room for the database to grow through every round: what fills the disk is the filler, which an operator
        // then removes, not the store's own file (which nobody could remove to let it start again).
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", store.toString()) == 0,
                "mounting a tmpfs needs root");
        Path tokens = state.resolve("tokens");
        Path filler = store.resolve("filler");
        int port = AgentProcess.freePort();
        Set<String> acknowledged = new HashSet<>();
        try {
            FleetProcess fleet = new FleetProcess(Map.of(), state, tokens, port).start();
            Senders senders = senders(tokens, "full", 3);
            try {
                fill(filler);
                senders.start(fleet, PAD);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (senders.count(503) < 5 && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertThat(senders.count(503)).as("503s on a full disk, statuses " + senders.statuses).isPositive();
                long logAtFull = Files.size(fleet.log);
                Thread.sleep(3000); // requests go on against the full disk
                senders.close();

                HttpResponse<String> refused = senders.unavailable.get(0);
                assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                        assertThat(t).startsWith("application/problem+json"));
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(FleetIT.JSON.readTree(refused.body()).path("detail").asText())
                        .isEqualTo("the fleet view's store at " + store.toRealPath() + " cannot write: no space left on device");
                HttpResponse<String> ready = fleet.manage("/q/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("no space left on device").contains(store.toRealPath().toString());
                assertThat(senders.statuses.keySet()).as("only 202 or 503, never a bare 500: " + senders.statuses
                                + "\n" + failures(fleet.log))
                        .allMatch(s -> s == 202 || s == 503 || s == -1);
                assertThat(Files.size(fleet.log) - logAtFull).as("the log while full: one line per cause, not per request")
                        .isLessThan(4096);
                assertThat(Files.readString(fleet.log).lines().filter(l -> l.contains("no space left on device")).count())
                        .as(Files.readString(fleet.log)).isBetween(1L, 2L);

                // Space returns: the fleet view takes reports again without a restart, and fills no space with traces.
                Files.delete(filler);
                until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (fleet.manage("/q/health/ready").statusCode() != 200 && System.nanoTime() < until) {
                    Thread.sleep(200);
                }
                assertThat(fleet.manage("/q/health/ready").statusCode()).as("ready again by itself").isEqualTo(200);
                int accepted = senders.count(202);
                senders.start(fleet, "");
                Thread.sleep(2000);
                senders.close();
                assertThat(senders.count(202)).as("reports taken after space returned").isGreaterThan(accepted);
                try (Stream<Path> files = Files.list(store)) {
                    assertThat(files.map(p -> p.getFileName().toString()))
                            .as("nothing but the database on the store's disk").containsOnly("fleet.mv.db");
                }
                assertThat(Files.readString(fleet.log)).contains("can write again");

                // Full again, and stopped as systemd or Kubernetes stop it: promptly.
                fill(filler);
                senders.start(fleet, PAD);
                until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int refusedBefore = senders.count(503);
                while (senders.count(503) == refusedBefore && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertThat(senders.count(503)).isGreaterThan(refusedBefore);
                long t0 = System.nanoTime();
                int exit = fleet.stop();
                long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                senders.close();
                assertThat(stopMillis).as("SIGTERM on a full disk").isLessThan(15_000);
                assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
            } finally {
                senders.close();
                fleet.kill();
                acknowledged.addAll(senders.acknowledged);
                // What the fleet view said, for a failure's report (failsafe keeps the output).
                Files.readString(fleet.log).lines().filter(l -> !l.startsWith("\t")).skip(20).forEach(System.out::println);
            }

            Files.deleteIfExists(filler);
            try (FleetProcess again = new FleetProcess(Map.of(), state, tokens, port).start()) {
                assertThat(keptTexts(again)).as("every report answered 202, before, during and after the full disk")
                        .containsAll(acknowledged);
            }
        } finally {
            run("umount", "-l", store.toString());
        }
    }

    /** Fills the file system of {@code file} to the last byte. */
    static void fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // ENOSPC: full; now the last small pieces
            try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
                while (true) {
                    out.write(block, 0, 512);
                    out.flush();
                }
            } catch (IOException fullToTheByte) {
                // done
            }
        }
    }

    static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** The log's lines about failed requests, with their stack traces, for an assertion's message. */
    private static String failures(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" failed") && lines.get(i).contains("ERROR")) {
                lines.subList(i, Math.min(lines.size(), i + 60)).forEach(l -> out.append(l).append('\n'));
            }
        }
        return out.toString();
    }
}
