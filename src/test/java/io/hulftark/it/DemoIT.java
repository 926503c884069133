package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command, {@code hulft-ark demo}, as a process: what it starts, what it shows, what it leaves. */
class DemoIT {

    static final ObjectMapper JSON = new ObjectMapper();
    // Free ports found at start, not the demo's defaults: a demo someone runs on this machine must not collide.
    static final int FIRST_AGENT_PORT = freeBlock(5);
    static final int FLEET_PORT = FIRST_AGENT_PORT + 4;

    @TempDir
    Path tmp;
    Run run;

    /** The demo as a process, its output in a file (read again by every look). */
    static final class Run {
        final Process process;
        final Path dir;
        final Path out;

        Run(Path dir, String... args) throws IOException {
            this.dir = dir;
            this.out = dir.resolveSibling(dir.getFileName() + ".out");
            List<String> cmd = new ArrayList<>(List.of(Cli.javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-jar", Cli.APP.toString(), "demo", "--dir", dir.toString(), "--port", Integer.toString(FLEET_PORT),
                    "--agent-ports", Integer.toString(FIRST_AGENT_PORT)));
            cmd.addAll(Arrays.asList(args));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        }

        List<String> lines() {
            try {
                return Files.readAllLines(out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return List.of();
            }
        }

        boolean end(int seconds) throws InterruptedException {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        }

        String output() {
            return String.join("\n", lines());
        }

        /** The first line matching {@code regex}, waiting for it up to {@code seconds}. */
        Matcher await(String regex, int seconds) throws InterruptedException {
            Pattern p = Pattern.compile(regex);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < until) {
                for (String l : lines()) {
                    Matcher m = p.matcher(l);
                    if (m.find()) {
                        return m;
                    }
                }
                if (!process.isAlive()) {
                    // one last look: the line may have come just before the end
                    for (String l : lines()) {
                        Matcher m = p.matcher(l);
                        if (m.find()) {
                            return m;
                        }
                    }
                    throw new AssertionError("the demo ended (exit " + process.exitValue() + ") without a line like '"
                            + regex + "':\n" + output());
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no line like '" + regex + "' within " + seconds + " s:\n" + output());
        }

        /** Every pid the demo printed for its children: the fleet view's and the agents'. */
        List<Long> printedPids() {
            List<Long> pids = new ArrayList<>();
            for (String l : lines()) {
                Matcher m = Pattern.compile("started (?:the fleet view \\(pid (\\d+)\\) and )?\\d+ agents \\(pids ([\\d ]+)\\)")
                        .matcher(l);
                if (m.find()) {
                    Optional.ofNullable(m.group(1)).ifPresent(p -> pids.add(Long.parseLong(p)));
                    Arrays.stream(m.group(2).split(" ")).map(Long::parseLong).forEach(pids::add);
                }
            }
            return pids;
        }
    }

    @AfterEach
    void killWhatIsLeft() {
        if (run != null && run.process.isAlive()) {
            run.process.descendants().forEach(ProcessHandle::destroyForcibly);
            run.process.destroyForcibly();
        }
        // never leave a failed test's processes running on the build machine
        demoProcesses(tmp).forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aCrashLeadsToAFailoverAndTerminatingTheDemoLeavesNoProcessBehind() throws Exception {
        Path dir = tmp.resolve("demo");
        run = new Run(dir, "--no-fleet", "--clusters", "2", "--faults", "crash", "--fault-every", "3s..5s");
        run.await("ready: 2 clusters served by node-a", 240);
        List<Long> pids = run.printedPids();
        assertThat(pids).hasSize(4);
        // A short preflight interval, so that a standby made unready shows within seconds (issue 13).
        assertThat(ProcessHandle.of(pids.get(0)).flatMap(h -> h.info().arguments()).map(List::of).orElse(List.of()))
                .contains("-Dhulftark.agent.validate-interval=20s");
        Matcher fault = run.await("fault: crash on (demo-\\d)/node-a", 30);
        String cluster = fault.group(1);
        run.await("detected " + cluster + ": node-a FAILED", 30);
        run.await("failover " + cluster + ": node-a → node-b \\(restore exit 0", 60);
        assertThat(demoProcesses(dir)).as("the simulated HULFT services run").isNotEmpty();

        // A child that dies while the demo runs is reported, and the stand-in LifeKeeper notices its silence.
        String other = cluster.equals("demo-1") ? "demo-2" : "demo-1";
        long victim = pids.get(other.equals("demo-1") ? 1 : 3);
        ProcessHandle.of(victim).orElseThrow().destroyForcibly();
        run.await("the agent of " + other + "/node-b ended unexpectedly \\(exit 137\\)", 20);
        run.await("agent " + other + "/node-b does not answer", 20);

        // SIGTERM to the demo alone (not its process group): its shutdown hook must end everything it started.
        run.process.destroy();
        assertThat(run.end(60)).as(run.output()).isTrue();
        assertNothingLeft(dir, pids, FIRST_AGENT_PORT, FIRST_AGENT_PORT + 3);
        assertThat(run.output()).contains("stopped ");
        assertThat(run.output().lines().filter(l -> l.contains("ended unexpectedly"))).hasSize(1);
    }

    @Test
    void theFleetViewShowsEveryClusterWithBothNodesAndTheFailoverThenTheDemoEndsByItself() throws Exception {
        Path dir = tmp.resolve("fleet demo");
        run = new Run(dir, "--clusters", "2", "--faults", "crash", "--fault-every", "5s..5s", "--duration", "100s");
        String token = run.await("Operator token: +(hak_\\S+)", 30).group(1);
        assertThat(run.lines().get(1)).contains("Dashboard:", "http://127.0.0.1:" + FLEET_PORT + "/");
        run.await("ready: 2 clusters", 240);
        List<Long> pids = run.printedPids();
        assertThat(pids).hasSize(5);

        HttpClient http = HttpClient.newHttpClient();
        for (String cluster : List.of("demo-1", "demo-2")) {
            JsonNode detail = awaitCluster(http, token, cluster, d -> d.path("nodes").size() == 2
                    && d.path("nodes").findValues("fresh").stream().allMatch(JsonNode::asBoolean)
                    && d.path("cluster").path("state").asText().equals("OK"), 60);
            assertThat(detail.path("nodes").findValuesAsText("node")).containsExactlyInAnyOrder("node-a", "node-b");
        }
        JsonNode summary = JSON.readTree(get(http, token, "/api/v1/fleet/summary").body());
        assertThat(summary.path("clusters").asInt()).isEqualTo(2);

        String cluster = run.await("fault: crash on (demo-\\d)/node-a", 30).group(1);
        run.await("failover " + cluster + ": node-a → node-b", 120);
        JsonNode after = awaitCluster(http, token, cluster, d -> d.path("cluster").path("state").asText().equals("OK")
                && d.path("cluster").path("serving").toString().contains("node-b"), 60);
        // The fleet view saw the outage on its way: the cluster's history holds DOWN (or the FAILED transition).
        assertThat(after.path("history").toString()).containsPattern("DOWN|FAILED");
        // Back in service, the faulted node is repaired; and a fault every 5 s does not make any cluster flap.
        run.await("repaired " + cluster + ": its faults are cleared", 60);
        assertThat(JSON.readTree(get(http, token, "/api/v1/fleet/summary").body()).path("flapping").asInt()).isZero();

        assertThat(run.end(180)).as(run.output()).isTrue();
        assertThat(run.process.exitValue()).as(run.output()).isZero();
        // Each cluster had one fault in the 100 s, not one per 5 s: the next waits for 10m30s in service.
        for (String c : List.of("demo-1", "demo-2")) {
            assertThat(run.output().lines().filter(l -> l.contains("fault: crash on " + c + "/")))
                    .as(run.output()).hasSizeLessThanOrEqualTo(1);
        }
        assertNothingLeft(dir, pids, FLEET_PORT, FLEET_PORT);
        assertNothingLeft(dir, pids, FIRST_AGENT_PORT, FIRST_AGENT_PORT + 3);
    }

    @Test
    void aTakenPortIsRefusedWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), FLEET_PORT));
            run = new Run(tmp.resolve("refused"), "--clusters", "1");
            assertThat(run.end(30)).isTrue();
            assertThat(run.process.exitValue()).isEqualTo(1);
            assertThat(run.output()).isEqualTo("hulft-ark: port " + FLEET_PORT
                    + " (the fleet view's port) is taken; free it or choose another with --port");
            assertThat(tmp.resolve("refused")).doesNotExist();
        }
    }

    JsonNode awaitCluster(HttpClient http, String token, String cluster, java.util.function.Predicate<JsonNode> ok,
                          int seconds) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "";
        while (System.nanoTime() < until) {
            HttpResponse<String> r = get(http, token, "/api/v1/fleet/clusters/" + cluster);
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200 && ok.test(JSON.readTree(r.body()))) {
                return JSON.readTree(r.body());
            }
            Thread.sleep(250);
        }
        throw new AssertionError(cluster + " is not as expected within " + seconds + " s: " + last + "\n" + run.output());
    }

    static HttpResponse<String> get(HttpClient http, String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + FLEET_PORT + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void assertNothingLeft(Path dir, List<Long> pids, int firstPort, int lastPort) throws IOException {
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("process " + pid).isEmpty());
        assertThat(demoProcesses(dir)).isEmpty();
        assertThat(dir).doesNotExist();
        for (int port = firstPort; port <= lastPort; port++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            }
        }
    }

    /** The first of {@code n} consecutive ports free on 127.0.0.1 now. */
    static int freeBlock(int n) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                first = s.getLocalPort();
            } catch (IOException e) {
                continue;
            }
            if (first + n > 65535) {
                continue;
            }
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int p = first; p < first + n; p++) {
                    ServerSocket s = new ServerSocket();
                    held.add(s);
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
                }
                return first;
            } catch (IOException taken) {
                // try another block
            } finally {
                for (ServerSocket s : held) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing a probe socket
                    }
                }
            }
        }
        throw new IllegalStateException("no block of " + n + " free ports");
    }

    /** Every process whose command line names {@code dir}: the agents, the fleet view, the simulated services. */
    static List<ProcessHandle> demoProcesses(Path dir) {
        String d = dir.toString();
        long me = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses().filter(p -> p.pid() != me)
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains(d))
                .filter(p -> !p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains(" demo --dir "))
                .toList();
    }
}
