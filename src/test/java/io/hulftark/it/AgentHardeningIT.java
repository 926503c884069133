package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.cli.SimSettings;
import io.hulftark.sim.Fault;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 11, items 8, 12 and 13 at the level where they broke: a burst of queued actions, an agent
 * killed (SIGKILL) during a slow restore, and the agent's state folder on a small full filesystem.
 */
class AgentHardeningIT {

    static final String TAG = "hulft";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    SimInstallation sim;
    AgentProcess agent;
    Cli cli;
    Path state;
    boolean mounted;

    void start(Path stateDir, Map<String, String> extra) throws Exception {
        SimSpec.Builder spec = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AgentProcess.freePort());
        }
        sim = SimInstallation.create(dir.resolve("HULFT Family"), spec.build());
        state = stateDir;
        Map<String, String> p = new LinkedHashMap<>(SimSettings.of(sim, state));
        p.put("hulftark.probe", "tcp");
        p.put("hulftark.probe-timeout", "2s");
        p.put("hulftark.agent.tags", TAG);
        p.put("hulftark.agent.action-mode", "direct");
        p.put("hulftark.agent.check-interval", "1s");
        p.putAll(extra);
        agent = new AgentProcess(p, Map.of(), dir).start();
        cli = new Cli(sim, state);
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (sim != null) {
            sim.stopNow();
        }
        if (mounted) {
            new ProcessBuilder("umount", "-l", state.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    HttpResponse<String> act(String action) throws Exception {
        return agent.post("/api/v1/resources/" + TAG + "/actions", AgentProcess.OPERATOR,
                "{\"action\": \"" + action + "\", \"reason\": \"hardening test\"}");
    }

    JsonNode accepted(String action) throws Exception {
        HttpResponse<String> r = act(action);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body());
    }

    JsonNode action(String id) throws Exception {
        HttpResponse<String> r = agent.get("/api/v1/actions/" + id, AgentProcess.VIEWER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    JsonNode awaitAction(String id, Predicate<JsonNode> until, long timeoutMs) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        JsonNode a = action(id);
        while (!until.test(a)) {
            assertThat(System.nanoTime()).as("action still " + a).isLessThan(end);
            Thread.sleep(50);
            a = action(id);
        }
        return a;
    }

    static void await(String what, Check condition, long timeoutMs) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(50);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /** Threads of a process whose name starts with {@code prefix} (Linux: /proc/PID/task/TID/comm). */
    static long threads(long pid, String prefix) throws IOException {
        long n = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks) {
                try {
                    if (Files.readString(t.resolve("comm")).startsWith(prefix)) {
                        n++;
                    }
                } catch (IOException gone) {
                    // the thread ended while we looked
                }
            }
        }
        return n;
    }

    /** {@code jcmd PID Thread.print}: every Java thread's stack. */
    static String threadDump(long pid) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("a thread dump").contains("Full thread dump");
        return out;
    }

    /** The simulated utlsvcctl the agent runs, once it runs. */
    Optional<ProcessHandle> utlsvcctlOf(long pid) {
        return ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("utlsvcctl")).orElse(false))
                .findFirst();
    }

    // ---- item 8 ----------------------------------------------------------------------------------------------------

    @Test
    void aBurstOfActionsIsBoundedAnsweredWith429AndWaitsQueuedNotRunningWhileTheCliHoldsTheLock() throws Exception {
        // The burst comes from one credential: its own bound (SlowClientIT tests it) is raised, so the queue is what answers.
        start(dir.resolve("state"), Map.of("hulftark.agent.max-queued-actions", "5",
                "hulftark.http.uploads-per-credential", "200", "hulftark.http.max-uploads", "500"));
        sim.fault(Fault.SLOW_START, "12000");
        // The CLI's restore holds the resource's lock for about 12 s from when it launches the service.
        Process restore = cli.start("restore", "-t", TAG);
        await("the CLI's restore under way", () -> sim.isRunning(), 30_000);

        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            burst.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port + "/api/v1/resources/"
                            + TAG + "/actions")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + AgentProcess.OPERATOR).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"action\": \"quickCheck\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : burst) {
            answers.add(f.get(60, TimeUnit.SECONDS));
        }
        List<HttpResponse<String>> ok = answers.stream().filter(r -> r.statusCode() == 202).toList();
        List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() == 429).toList();
        // One may have started at once (the queue's runner takes it) and is waiting for the lock: at most 6 in all.
        assertThat(ok.size()).as("accepted").isBetween(5, 6);
        assertThat(refused.size()).as("refused").isEqualTo(100 - ok.size());
        for (HttpResponse<String> r : refused) {
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            assertThat(JSON.readTree(r.body()).path("detail").asText()).contains("max-queued-actions");
        }
        // One runner for the resource, not a thread per waiting action: only it waits for the lock.
        assertThat(threads(agent.pid(), "agent-action")).isLessThanOrEqualTo(1);
        String stacks = threadDump(agent.pid());
        assertThat(stacks.split("FileActionLocks.acquire", -1).length - 1).as("threads waiting for the lock")
                .isEqualTo(1);

        // While the CLI holds the lock, none of them runs.
        List<String> ids = new ArrayList<>();
        for (HttpResponse<String> r : ok) {
            JsonNode a = JSON.readTree(r.body());
            assertThat(a.path("state").asText()).isEqualTo("QUEUED");
            ids.add(a.path("id").asText());
        }
        for (String id : ids) {
            assertThat(action(id).path("state").asText()).as("while the CLI holds the lock").isEqualTo("QUEUED");
        }
        assertThat(Cli.finish(restore, System.nanoTime()).exit()).isZero();
        for (String id : ids) {
            JsonNode done = awaitAction(id, a -> a.path("endedAt").isTextual(), 60_000);
            assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(Instant(done.path("startedAt").asText())).isAfter(Instant(done.path("requestedAt").asText()));
        }
        // The queue is free again.
        assertThat(act("quickCheck").statusCode()).isEqualTo(202);
    }

    private static java.time.Instant Instant(String s) {
        return java.time.Instant.parse(s);
    }

    // ---- item 13 ---------------------------------------------------------------------------------------------------

    /** A restore over REST whose utlsvcctl runs (the service takes {@code slowMs} to listen); returns the action's id. */
    String restoreUnderWay(long slowMs) throws Exception {
        sim.fault(Fault.SLOW_START, Long.toString(slowMs));
        String id = accepted("restore").path("id").asText();
        awaitAction(id, a -> a.path("state").asText().equals("RUNNING"), 20_000);
        await("utlsvcctl runs", () -> utlsvcctlOf(agent.pid()).isPresent(), 20_000);
        await("utlsvcctl launched the service", () -> sim.isRunning(), 20_000);
        return id;
    }

    @Test
    void aRestartedAgentEndsWhatItsKilledSelfLeftRunningAndMarksTheActionInterrupted() throws Exception {
        start(dir.resolve("state"), Map.of());
        String id = restoreUnderWay(SLOW_MS);
        ProcessHandle orphan = utlsvcctlOf(agent.pid()).orElseThrow();
        agent.kill();
        assertThat(orphan.isAlive()).as("SIGKILL leaves the agent's child running").isTrue();
        assertThat(sim.isRunning()).as("the service process it launched waits to listen").isTrue();

        agent.start();
        assertThat(orphan.isAlive()).as("the restarted agent ended it before it served").isFalse();
        // The killed restore's child did not go on to start HULFT behind anyone's back.
        assertThat(sim.isRunning()).as("HULFT started by a killed agent's child").isFalse();
        JsonNode a = action(id);
        assertThat(a.path("state").asText()).as(a.toString()).isEqualTo("INTERRUPTED");
        assertThat(a.path("endedAt").isTextual()).isTrue();
        assertThat(a.path("exitCode").isNull()).isTrue();
        assertThat(a.path("messages").toString()).contains("while this action ran").contains("utlsvcctl -c start");
    }

    /** Longer than any agent start here, so that only an ending by the next lock holder stops the child. */
    static final long SLOW_MS = 120_000;

    @Test
    void theCliAfterAKilledAgentEndsItsChildFirstAndARemoveIsNotUndone() throws Exception {
        start(dir.resolve("state"), Map.of());
        String id = restoreUnderWay(SLOW_MS);
        ProcessHandle orphan = utlsvcctlOf(agent.pid()).orElseThrow();
        agent.kill();
        assertThat(orphan.isAlive()).isTrue();
        assertThat(sim.isRunning()).isTrue();

        // LifeKeeper's quickCheck, then its remove, while the agent is down.
        Cli.Result check = cli.run("quickCheck", "-t", TAG);
        assertThat(orphan.isAlive()).as("the CLI ended the orphan before it acted").isFalse();
        assertThat(sim.isRunning()).as("nor will the orphan's service come up later").isFalse();
        assertThat(check.exit()).as(check.err()).isEqualTo(1);
        Cli.Result removed = cli.run("remove", "-t", TAG);
        assertThat(removed.exit()).as(removed.err()).isZero();
        Thread.sleep(2_000);
        assertThat(sim.isRunning()).as("the remove was undone by the killed agent's child").isFalse();

        agent.start();
        JsonNode a = action(id);
        assertThat(a.path("state").asText()).isEqualTo("INTERRUPTED");
        assertThat(a.path("endedAt").isTextual()).isTrue();
    }

    // ---- item 12 ---------------------------------------------------------------------------------------------------

    @Test
    void onAFullDiskActionsRunAndEndReadinessNamesTheDiskAndEverythingLandsWhenSpaceReturns() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path mount = Files.createDirectories(dir.resolve("state"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString())
                .inheritIO().start();
        assumeTrue(m.waitFor(20, TimeUnit.SECONDS) && m.exitValue() == 0, "cannot mount a tmpfs here");
        mounted = true;
        state = mount;
        start(mount, Map.of());
        await("a first check", () -> JSON.readTree(agent.get("/api/v1/resources/" + TAG, AgentProcess.VIEWER).body())
                .path("status").asText().equals("STOPPED"), 20_000);
        assertThat(agent.manage("/q/health/ready").statusCode()).isEqualTo(200);

        Path filler = mount.resolve("filler");
        fill(filler);
        // The journal's last page may still take a few records: act until one cannot be written.
        JsonNode check = null;
        for (int i = 0; i < 40; i++) {
            check = accepted("quickCheck");
            awaitAction(check.path("id").asText(), a -> a.path("endedAt").isTextual(), 30_000);
            if (check.path("journal").asText().equals("PENDING")
                    || action(check.path("id").asText()).path("journal").asText().equals("PENDING")) {
                break;
            }
        }
        // A status change while full: HULFT runs, started by the CLI (which does not need the journal).
        Cli.Result cliRestore = cli.run("restore", "-t", TAG);
        assertThat(cliRestore.exit()).as(cliRestore.err()).isZero();
        JsonNode restore = accepted("restore");
        assertThat(restore.path("journal").asText()).isEqualTo("PENDING");
        JsonNode checked = awaitAction(check.path("id").asText(), a -> a.path("endedAt").isTextual(), 30_000);
        assertThat(checked.path("state").asText()).as("HULFT was stopped then").isEqualTo("FAILED");
        JsonNode restored = awaitAction(restore.path("id").asText(), a -> a.path("endedAt").isTextual(), 30_000);
        assertThat(restored.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(restored.path("journal").asText()).isEqualTo("PENDING");
        await("RUNNING", () -> JSON.readTree(agent.get("/api/v1/resources/" + TAG, AgentProcess.VIEWER).body())
                .path("status").asText().equals("RUNNING"), 20_000);

        HttpResponse<String> ready = agent.manage("/q/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode journal = checkNamed(JSON.readTree(ready.body()), "journal");
        assertThat(journal.path("status").asText()).isEqualTo("DOWN");
        assertThat(journal.path("data").path("reason").asText()).contains(mount.toString()).contains("No space left");
        Thread.sleep(3_000); // three check rounds on a full disk
        // (SmallRye Health logs each DOWN readiness it answers, SRHCK01001: that is the probe's line, not ours.)
        long warnings = Files.readAllLines(agent.log).stream()
                .filter(l -> l.contains("cannot write the journal") && !l.contains("SRHCK")).count();
        assertThat(warnings).as("one line per outage, not per write").isEqualTo(1);

        Files.delete(filler);
        await("readiness UP", () -> agent.manage("/q/health/ready").statusCode() == 200, 15_000);
        assertThat(action(restore.path("id").asText()).path("journal").asText()).isEqualTo("WRITTEN");
        // Space again, then full again: the records written between stay good, and a failed append tears nothing.
        JsonNode more = accepted("quickCheck");
        awaitAction(more.path("id").asText(), a -> a.path("endedAt").isTextual(), 30_000);
        fill(filler);
        JsonNode late = accepted("quickCheck");
        awaitAction(late.path("id").asText(), a -> a.path("endedAt").isTextual(), 30_000);
        Files.delete(filler);
        await("readiness UP again", () -> agent.manage("/q/health/ready").statusCode() == 200, 15_000);

        agent.stop();
        List<JsonNode> lines = journalLines(mount.resolve("journal"));
        agent.start();
        Map<String, String> expected = Map.of(check.path("id").asText(), "FAILED", restore.path("id").asText(),
                "SUCCEEDED", more.path("id").asText(), "SUCCEEDED", late.path("id").asText(), "SUCCEEDED");
        for (Map.Entry<String, String> x : expected.entrySet()) {
            String id = x.getKey();
            JsonNode a = action(id);
            assertThat(a.path("state").asText()).as(a.toString()).isEqualTo(x.getValue());
            assertThat(a.path("journal").asText()).isEqualTo("WRITTEN");
            assertThat(lines.stream().filter(l -> id.equals(l.path("action").path("id").asText()))
                    .map(l -> l.path("action").path("state").asText()).toList())
                    .as("every step of " + id + " in the journal").containsExactly("QUEUED", "RUNNING", x.getValue());
        }
        assertThat(lines.stream().filter(l -> l.path("transition").path("to").asText().equals("RUNNING")))
                .as("the status change made while the disk was full").isNotEmpty();
        assertThat(lines.stream().map(l -> l.path("seq").asLong()).toList()).isSorted().doesNotHaveDuplicates();
    }

    /** Every line of the journal parses: no torn line, no record glued to one. */
    static List<JsonNode> journalLines(Path journalDir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(journalDir)) {
            files = s.sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString())).toList();
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                if (!line.isEmpty()) {
                    out.add(JSON.readTree(line)); // throws on a torn or glued line
                }
            }
        }
        return out;
    }

    static JsonNode checkNamed(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    /** Writes until the filesystem is full. */
    static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        // The last partial page: single bytes until none fits.
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < 8192; i++) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            // full to the byte
        }
    }
}
