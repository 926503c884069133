package io.hulftark.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.hulftark.http.security.TokenStore;

/**
 * The load side of src/bench/actions.sh (issue 12, "Speed"), end to end against the packaged fleet view:
 * NODES simulated push agents in this one process (JDK async HttpClient, one held connection each, no thread each),
 * cluster {@code bench-NNNNN} with one node {@code n}, each with its own reporter token. Each posts a report
 * (resource RUNNING, {@code fleetActions: true}, {@code actionsVia: direct}) and holds
 * {@code GET /api/v1/fleet/orders?node=n&wait=25} in a loop; on an order it reports an action event RUNNING, then
 * ~50 ms later SUCCEEDED exit 0, as an agent does.
 * <ul>
 *   <li>{@code tokens TOKENS SECRETS NODES}: appends a reporter token per cluster and an operator token.</li>
 *   <li>{@code --mode actions}: ROUNDS x PER_ROUND single quickChecks POSTed by an operator, every cluster once:
 *       POST → order at the agent, POST → the agent's RUNNING report acknowledged, POST → action SUCCEEDED (p50/p99/max);
 *       then a batch of BATCH quickChecks (label {@code half=a}) at concurrency BATCH_CONCURRENCY: its duration.</li>
 *   <li>{@code --mode idle}: the fleet view's heap after a full GC and its threads before and with NODES agents
 *       connected (one report each, order requests held); then holds them until the file --hold-until exists.</li>
 * </ul>
 * Prints RESULT lines; exit 0 when the targets are met, 3 when one is missed. Not a test: it has no @Test.
 */
public final class ActionBench {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ACTION_STATE =
            Pattern.compile("\"state\"\\s*:\\s*\"(QUEUED|RUNNING|SUCCEEDED|FAILED|TIMED_OUT|INTERRUPTED|REFUSED|"
                    + "PAUSED|STOPPED|CANCELLED|PENDING)\"");
    private static final String AGENT_STARTED = Instant.now().toString();

    private final URI api;
    private final String operator;
    private final Map<String, String> reporters;
    private final HttpClient http;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    /** Per cluster: when its order arrived, and when the fleet view acknowledged its RUNNING report (nanoTime). */
    private final Map<String, Long> arrived = new ConcurrentHashMap<>();
    private final Map<String, Long> runningAcked = new ConcurrentHashMap<>();
    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** One simulated agent: reports go out one after the other (seq order), chained on {@code tail}. */
    private static final class Agent {
        final String cluster;
        final String token;
        final boolean halfA;
        long seq;
        long eventSeq;
        CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

        Agent(String cluster, String token, boolean halfA) {
            this.cluster = cluster;
            this.token = token;
            this.halfA = halfA;
        }
    }

    ActionBench(URI api, String operator, Map<String, String> reporters) {
        this.api = api;
        this.operator = operator;
        this.reporters = reporters;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20)).build();
    }

    static String cluster(int i) {
        return String.format(Locale.ROOT, "bench-%05d", i);
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 4 && args[0].equals("tokens")) {
            tokens(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            return;
        }
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Map<String, String> secrets = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(a.get("secrets")))) {
            String[] p = line.split(" ");
            secrets.put(p[0], p[1]);
        }
        ActionBench b = new ActionBench(URI.create(a.get("url")), secrets.get("operator"), secrets);
        int nodes = Integer.parseInt(a.getOrDefault("nodes", "1000"));
        boolean ok;
        if (a.getOrDefault("mode", "actions").equals("idle")) {
            ok = b.idle(nodes, a.get("pid"), Path.of(a.get("hold-until")));
        } else {
            ok = b.actions(nodes, Integer.parseInt(a.getOrDefault("rounds", "40")),
                    Integer.parseInt(a.getOrDefault("per-round", "25")),
                    Integer.parseInt(a.getOrDefault("batch", "500")),
                    Integer.parseInt(a.getOrDefault("batch-concurrency", "50")));
        }
        b.stopping = true;
        System.exit(ok ? 0 : 3);
    }

    // ---------------------------------------------------------------- tokens

    /** Appends an operator token and a reporter token per cluster (TokenStore's line format, as FleetBench writes). */
    static void tokens(Path tokensFile, Path secretsFile, int nodes) throws Exception {
        StringBuilder hashes = new StringBuilder();
        StringBuilder secrets = new StringBuilder();
        String op = TokenStore.newToken();
        hashes.append("bench-operator operator ").append(sha256(op)).append('\n');
        secrets.append("operator ").append(op).append('\n');
        for (int i = 1; i <= nodes; i++) {
            String t = TokenStore.newToken();
            hashes.append("agent-").append(cluster(i)).append(" reporter:").append(cluster(i)).append(' ')
                    .append(sha256(t)).append('\n');
            secrets.append(cluster(i)).append(' ').append(t).append('\n');
        }
        if (!Files.exists(tokensFile)) {
            Files.writeString(tokensFile, "# hulft-ark API tokens: written by ActionBench for a benchmark\n");
        }
        Files.writeString(tokensFile, hashes, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(secretsFile, secrets);
        List<String> warnings = new ArrayList<>();
        TokenStore check = new TokenStore(tokensFile, warnings::add);
        if (!warnings.isEmpty() || check.authenticate(op).isEmpty()) {
            throw new IllegalStateException("the tokens file does not read back: " + warnings);
        }
        System.out.printf("tokens: %d reporter tokens and an operator token added to %s (%d tokens)%n", nodes,
                tokensFile, check.size());
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- the agents

    private String report(Agent ag, String event) {
        String now = Instant.now().toString();
        return "{\"cluster\":\"" + ag.cluster + "\",\"node\":\"n\",\"agentVersion\":\"bench\",\"agentStartedAt\":\""
                + AGENT_STARTED + "\",\"seq\":" + (++ag.seq) + ",\"sentAt\":\"" + now
                + "\",\"resources\":[{\"tag\":\"HULFT1\",\"service\":\"HULFT8\",\"status\":\"RUNNING\","
                + "\"role\":\"active\",\"since\":\"" + AGENT_STARTED + "\",\"checkedAt\":\"" + now
                + "\",\"ports\":[{\"key\":\"hulrcvd\",\"port\":30000,\"ok\":true,\"latencyMicros\":180}]}],"
                + "\"events\":[" + (event == null ? "" : event) + "],\"dropped\":0,\"labels\":{\"half\":\""
                + (ag.halfA ? "a" : "b") + "\"},\"fleetActions\":true,\"actionsVia\":\"direct\"}";
    }

    /** Posts a report after the agent's previous one; the future completes with the time of the 2xx answer. */
    private synchronized CompletableFuture<Long> post(Agent ag, String eventOrNull) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        ag.tail = ag.tail.handle((x, e) -> null).thenCompose(x -> {
            String body;
            synchronized (ag) {
                body = report(ag, eventOrNull == null ? null : eventOrNull.replace("@SEQ@", "" + (++ag.eventSeq)));
            }
            HttpRequest req = HttpRequest.newBuilder(api.resolve("/api/v1/fleet/reports"))
                    .header("Authorization", "Bearer " + ag.token).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                long now = System.nanoTime();
                if (e != null || r.statusCode() / 100 != 2) {
                    error(ag.cluster + " report: " + (e != null ? e : r.statusCode() + " " + r.body()));
                    done.complete(-1L);
                } else {
                    done.complete(now);
                }
            });
        });
        return done;
    }

    private void error(String what) {
        if (errors.incrementAndGet() <= 8) {
            System.err.println(what);
        }
    }

    private static String event(String orderId, String action, String state, Integer exit) {
        String now = Instant.now().toString();
        return "{\"seq\":@SEQ@,\"at\":\"" + now + "\",\"tag\":\"HULFT1\",\"type\":\"action\",\"text\":\"" + action
                + " " + state + "\",\"action\":{\"id\":\"" + orderId + "\",\"action\":\"" + action + "\",\"state\":\""
                + state + "\"" + (exit == null ? "" : ",\"exitCode\":" + exit + ",\"durationMillis\":50")
                + ",\"messages\":[],\"mode\":\"direct\",\"requestedBy\":\"fleet:bench\"}}";
    }

    /** The agent's order channel: ask, and on every answer ask again at once; run each order it hands out. */
    private void hold(Agent ag) {
        if (stopping) {
            return;
        }
        HttpRequest req = HttpRequest.newBuilder(api.resolve("/api/v1/fleet/orders?node=n&wait=25"))
                .header("Authorization", "Bearer " + ag.token).timeout(Duration.ofSeconds(60)).GET().build();
        held.incrementAndGet();
        http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            long now = System.nanoTime();
            held.decrementAndGet();
            if (e != null || (r.statusCode() != 200 && r.statusCode() != 204)) {
                error(ag.cluster + " orders: " + (e != null ? e : r.statusCode() + " " + r.body()));
                timer.schedule(() -> hold(ag), 1, TimeUnit.SECONDS);
                return;
            }
            if (r.statusCode() == 200) {
                arrived.putIfAbsent(ag.cluster, now);
                Matcher m = Pattern.compile("\\{[^{}]*\"id\"\\s*:\\s*\"([^\"]+)\"[^{}]*\\}").matcher(r.body());
                while (m.find()) {
                    String id = m.group(1);
                    Matcher act = Pattern.compile("\"action\"\\s*:\\s*\"([^\"]+)\"").matcher(m.group());
                    String action = act.find() ? act.group(1) : "quickCheck";
                    post(ag, event(id, action, "RUNNING", null)).thenAccept(t -> {
                        if (t > 0) {
                            runningAcked.putIfAbsent(ag.cluster, t);
                        }
                    });
                    timer.schedule(() -> post(ag, event(id, action, "SUCCEEDED", 0)), 50, TimeUnit.MILLISECONDS);
                }
            }
            hold(ag);
        });
    }

    /** Connects NODES agents: a first report each, then their held order requests (in waves, as agents start). */
    private void connect(int nodes) throws Exception {
        connect(nodes, null);
    }

    /** As {@link #connect(int)}; {@code between} (may be null) runs after the reports, before the held requests. */
    private void connect(int nodes, Runnable between) throws Exception {
        long start = System.nanoTime();
        List<CompletableFuture<Long>> first = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            Agent ag = new Agent(cluster(i), reporters.get(cluster(i)), i <= nodes / 2);
            agents.put(ag.cluster, ag);
            first.add(post(ag, null));
            if (i % 200 == 0) {
                CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).join();
                first.clear();
            }
        }
        CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).join();
        if (between != null) {
            between.run();
        }
        for (int i = 1; i <= nodes; i++) {
            hold(agents.get(cluster(i)));
            if (i % 500 == 0) {
                Thread.sleep(50);
            }
        }
        Thread.sleep(3000);
        System.out.printf(Locale.ROOT, "%d agents reported and hold their order requests after %.1f s (errors %d)%n",
                nodes, (System.nanoTime() - start) / 1e9, errors.get());
    }

    // ---------------------------------------------------------------- part 1 and 2

    boolean actions(int nodes, int rounds, int perRound, int batchSize, int concurrency) throws Exception {
        connect(nodes);
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(12));
        Map<String, Long> posted = new ConcurrentHashMap<>();
        Map<String, String> actionIds = new ConcurrentHashMap<>();
        List<Long> postMicros = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(3);
        int k = 0;
        for (int r = 0; r < rounds; r++) {
            List<CompletableFuture<?>> round = new ArrayList<>();
            for (int j = 0; j < perRound && k < order.size(); j++, k++) {
                String c = cluster(order.get(k));
                HttpRequest req = HttpRequest.newBuilder(api.resolve("/api/v1/fleet/clusters/" + c + "/actions"))
                        .header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(
                                "{\"action\":\"quickCheck\",\"node\":\"n\",\"reason\":\"bench\"}")).build();
                // The fleet view takes at most 4 requests with a body at once from one caller (429 beyond).
                inFlight.acquire();
                long t0 = System.nanoTime();
                posted.put(c, t0);
                round.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, e) -> {
                    inFlight.release();
                    if (e != null || resp.statusCode() != 202) {
                        error(c + " action: " + (e != null ? e : resp.statusCode() + " " + resp.body()));
                        return;
                    }
                    postMicros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0));
                    Matcher m = ID.matcher(resp.body());
                    if (m.find()) {
                        actionIds.put(c, m.group(1));
                    }
                }));
            }
            CompletableFuture.allOf(round.toArray(CompletableFuture[]::new)).join();
            Thread.sleep(250);
        }
        // Every action ends SUCCEEDED: its end time is first seen by polling (coarse, for information).
        Map<String, Long> ended = new HashMap<>();
        Map<String, String> endState = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (endState.size() < actionIds.size() && System.nanoTime() < deadline) {
            for (Map.Entry<String, String> e : actionIds.entrySet()) {
                if (endState.containsKey(e.getKey())) {
                    continue;
                }
                String s = state(get("/api/v1/fleet/actions/" + e.getValue()));
                if (s != null && !s.equals("QUEUED") && !s.equals("RUNNING")) {
                    endState.put(e.getKey(), s);
                    ended.put(e.getKey(), System.nanoTime());
                }
            }
            Thread.sleep(100);
        }
        long notSucceeded = actionIds.size() - endState.values().stream().filter("SUCCEEDED"::equals).count();
        List<Long> delivery = since(posted, arrived);
        List<Long> running = since(posted, runningAcked);
        boolean ok = report("POST answered (202)", postMicros, posted.size(), false);
        ok &= report("POST -> order at the agent", delivery, posted.size(), true);
        ok &= report("POST -> RUNNING report acknowledged", running, posted.size(), true);
        report("POST -> SUCCEEDED seen (coarse: every action polled in turn after the last round)", since(posted, ended), posted.size(), false);
        System.out.printf(Locale.ROOT, "RESULT actions: %d posted, %d accepted, %d not SUCCEEDED %s; errors %d%n",
                posted.size(), actionIds.size(), notSucceeded, endState.values().stream()
                        .filter(s -> !s.equals("SUCCEEDED")).distinct().toList(), errors.get());
        ok &= notSucceeded == 0 && actionIds.size() == posted.size();

        // Part 2: a batch over the clusters labelled half=a (the first half).
        long errorsBefore = errors.get();
        String body = "{\"action\":\"quickCheck\",\"force\":false,\"reason\":\"bench batch\",\"selection\":"
                + "{\"labels\":{\"half\":\"a\"}},\"concurrency\":" + concurrency + ",\"stopOnFailure\":true,"
                + "\"pauseSeconds\":0}";
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("/api/v1/fleet/batches"))
                .header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            System.out.println("RESULT batch: POST answered " + r.statusCode() + " " + r.body() + " MISS");
            return false;
        }
        Matcher m = ID.matcher(r.body());
        m.find();
        String batch = m.group(1);
        String last = r.body();
        String state = state(last);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while ("RUNNING".equals(state) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = get("/api/v1/fleet/batches/" + batch);
            state = state(last);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Matcher total = Pattern.compile("\"total\"\\s*:\\s*(\\d+).*?\"succeeded\"\\s*:\\s*(\\d+)\\s*,\\s*\"failed\"\\s*:\\s*(\\d+)")
                .matcher(last);
        String counts = total.find() ? "total " + total.group(1) + ", succeeded " + total.group(2) + ", failed "
                + total.group(3) : "?";
        boolean batchOk = "SUCCEEDED".equals(state) && errors.get() == errorsBefore && counts.contains("total " + batchSize + ",");
        System.out.printf(Locale.ROOT, "RESULT batch of %d quickChecks at concurrency %d: state %s after %.1f s (%s); "
                + "agent errors %d; target SUCCEEDED, no error %s%n", batchSize, concurrency, state, secs, counts,
                errors.get() - errorsBefore, batchOk ? "PASS" : "MISS");
        return ok && batchOk;
    }

    private String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(api.resolve(path)).header("Authorization", "Bearer " + operator)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String state(String json) {
        Matcher m = ACTION_STATE.matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static List<Long> since(Map<String, Long> from, Map<String, Long> to) {
        List<Long> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : from.entrySet()) {
            Long t = to.get(e.getKey());
            out.add(t == null ? -1L : TimeUnit.NANOSECONDS.toMicros(t - e.getValue()));
        }
        return out;
    }

    private static boolean report(String what, List<Long> micros, int expected, boolean target) {
        long missing = expected - micros.stream().filter(m -> m >= 0).count();
        List<Long> sorted = micros.stream().filter(m -> m >= 0).sorted().toList();
        double p50 = pct(sorted, 0.50) / 1000.0;
        double p99 = pct(sorted, 0.99) / 1000.0;
        double max = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1000.0;
        boolean ok = missing == 0 && p99 <= 1000;
        System.out.printf(Locale.ROOT, "RESULT %s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms missing=%d%s%n", what,
                sorted.size(), p50, p99, max, missing, target ? " target p99<=1000 ms " + (ok ? "PASS" : "MISS") : "");
        return ok || !target;
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    // ---------------------------------------------------------------- part 3

    boolean idle(int nodes, String pid, Path holdUntil) throws Exception {
        long[] before = heapAndThreads(pid);
        long[][] reported = new long[1][];
        connect(nodes, () -> {
            try {
                reported[0] = heapAndThreads(pid);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long[] after = heapAndThreads(pid);
        double perAgent = (after[0] - before[0]) / (double) nodes;
        // The held request alone: the heap after the reports (the new clusters' state) against the heap when held.
        System.out.printf(Locale.ROOT, "RESULT idle agents=%d: heap after full GC before %.1f MB, after the %d first "
                        + "reports (new clusters) %.1f MB, with the order requests held %.1f MB: %.0f bytes per held "
                        + "request, %.0f per cluster's state; threads %d -> %d -> %d%n", nodes, before[0] / 1e6, nodes,
                reported[0][0] / 1e6, after[0] / 1e6, (after[0] - reported[0][0]) / (double) nodes,
                (reported[0][0] - before[0]) / (double) nodes, before[1], reported[0][1], after[1]);
        // The target is the cost of holding: the held requests' heap and threads, against the heap after the reports.
        double perHeld = (after[0] - reported[0][0]) / (double) nodes;
        boolean ok = perHeld <= 20 * 1024 && after[1] - reported[0][1] < nodes / 100 && held.get() >= nodes * 0.99;
        System.out.printf(Locale.ROOT, "RESULT idle agents=%d: held=%d heap after full GC %.1f MB -> %.1f MB "
                        + "(%.0f bytes per agent with its cluster's state; %.0f per held request, target <= 20480), threads "
                        + "%d -> %d (target: none per held request) %s; errors %d%n", nodes, held.get(), before[0] / 1e6,
                after[0] / 1e6, perAgent, perHeld, before[1], after[1], ok ? "PASS" : "MISS", errors.get());
        System.out.println("HOLDING");
        while (!Files.exists(holdUntil)) {
            Thread.sleep(500);
        }
        System.out.printf(Locale.ROOT, "still held at the end: %d; errors %d%n", held.get(), errors.get());
        return ok;
    }

    /** Used heap after a full GC (bytes) and the thread count of the fleet view's JVM. */
    private static long[] heapAndThreads(String pid) throws Exception {
        String info = jcmd(pid, "GC.run") + jcmd(pid, "GC.heap_info");
        Matcher used = Pattern.compile("used (\\d+)([KMG])").matcher(info);
        long bytes = -1;
        if (used.find()) {
            bytes = Long.parseLong(used.group(1)) * switch (used.group(2)) {
                case "K" -> 1024L;
                case "M" -> 1024L * 1024;
                default -> 1024L * 1024 * 1024;
            };
        }
        long threads = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.substring(8).strip());
            }
        }
        return new long[] {bytes, threads};
    }

    private static String jcmd(String pid, String command) throws Exception {
        Process p = new ProcessBuilder("jcmd", pid, command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
