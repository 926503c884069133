package io.hulftark.bench;

import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fleet view under the load of many agents, over real HTTP against a running {@code hulft-ark fleet}
 * (src/bench/fleet.sh starts one and runs this). Two steps:
 * <pre>
 * FleetBench tokens TOKENS_FILE SECRETS_FILE NODES      before the fleet view starts: a reporter:CLUSTER token per
 *                                                       cluster and a viewer token (hashes in TOKENS_FILE, the tokens
 *                                                       themselves in SECRETS_FILE for the run)
 * FleetBench run --url http://127.0.0.1:PORT --secrets SECRETS_FILE --nodes N [--warmup 30] [--seconds 60]
 *                [--flip-percent 2] [--flip-every 10] [--summary-rate 20] [--page-rate 20] [--connections 48]
 *                [--pid FLEET_PID] [--gc-log FILE] [--label TEXT]
 *                [--metrics-url http://127.0.0.1:MPORT/q/metrics] [--metrics-every 2]
 * </pre>
 * N nodes in N/2 two-node clusters each POST a full report every 10 s (N/10 reports a second, spread evenly, nodes
 * in a shuffled order); every flip-every seconds flip-percent of the clusters fail over at once (the active node
 * reports STOPPED, the standby RUNNING, each with a transition event); a dashboard reads the summary and random pages
 * of the cluster table at a constant rate; an SSE reader times each failover's transition event from the report's
 * send to its arrival on the stream. Every latency counts from when the request was due, so a stall cannot hide
 * (no coordinated omission). With --metrics-url, Prometheus scrapes the fleet view's metrics meanwhile
 * ({@link FleetBenchScrape}). Prints one table with the targets of the issue; exits 0 when all pass, 3 when not.
 */
public final class FleetBench {

    static final String REPORTS = "/api/v1/fleet/reports";
    static final long TARGET_REPORT_MS = 50;
    static final long TARGET_SUMMARY_MS = 50;
    static final long TARGET_PAGE_MS = 100;
    static final long TARGET_STREAM_MS = 1000;
    static final long TARGET_HEAP_MIB = 1024;
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Pattern FLIP = Pattern.compile("bench-flip=(\\d+)");

    public static void main(String[] args) throws Exception {
        if (args.length >= 4 && args[0].equals("tokens")) {
            tokens(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            return;
        }
        if (args.length >= 1 && args[0].equals("run")) {
            Map<String, String> opts = new HashMap<>();
            for (int i = 1; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("options are --name value pairs, not " + args[i]);
                }
                opts.put(args[i].substring(2), args[i + 1]);
            }
            System.exit(new FleetBench(opts).run() ? 0 : 3);
        }
        System.err.println("usage: FleetBench tokens TOKENS_FILE SECRETS_FILE NODES | FleetBench run --url URL "
                + "--secrets FILE --nodes N [options] (see the class comment)");
        System.exit(2);
    }

    // ---------------------------------------------------------------- tokens

    /**
     * Writes the tokens file in TokenStore's format directly: TokenStore.add rewrites the whole file per token,
     * which is quadratic for thousands of clusters. A TokenStore then reads it back, so a wrong line fails here.
     */
    static void tokens(Path tokensFile, Path secretsFile, int nodes) throws IOException {
        int clusters = clusters(nodes);
        StringBuilder hashes = new StringBuilder("# hulft-ark API tokens: written by FleetBench for a benchmark\n");
        StringBuilder secrets = new StringBuilder();
        String viewer = TokenStore.newToken();
        hashes.append("bench-viewer viewer ").append(sha256(viewer)).append('\n');
        secrets.append("viewer ").append(viewer).append('\n');
        for (int c = 0; c < clusters; c++) {
            String token = TokenStore.newToken();
            hashes.append("bench-").append(cluster(c)).append(" reporter:").append(cluster(c)).append(' ')
                    .append(sha256(token)).append('\n');
            secrets.append(cluster(c)).append(' ').append(token).append('\n');
        }
        Files.writeString(tokensFile, hashes);
        Files.writeString(secretsFile, secrets);
        List<String> warnings = new ArrayList<>();
        TokenStore check = new TokenStore(tokensFile, warnings::add);
        if (check.size() != clusters + 1 || !warnings.isEmpty()
                || check.authenticate(viewer).map(c -> c.role() != Role.VIEWER).orElse(true)) {
            throw new IllegalStateException("the tokens file does not read back: " + check.size() + " tokens, " + warnings);
        }
        // What the fleet view pays per request to find the caller: TokenStore compares against every line.
        String last = secrets.substring(secrets.lastIndexOf(" ") + 1).strip();
        int rounds = 5000;
        long t0 = 0;
        for (int i = 0; i < 2 * rounds; i++) {
            t0 = i == rounds ? System.nanoTime() : t0; // the first half warms the JIT up
            check.authenticate(i % 2 == 0 ? viewer : last);
        }
        System.out.printf("tokens: %d reporter tokens (one per cluster) and a viewer token in %s; "
                + "TokenStore.authenticate takes %.0f µs a call with this file%n", clusters, tokensFile,
                (System.nanoTime() - t0) / 1e3 / rounds);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    static int clusters(int nodes) {
        if (nodes < 2 || nodes % 2 != 0) {
            throw new IllegalArgumentException("nodes must be an even number of 2 or more, not " + nodes);
        }
        return nodes / 2;
    }

    static String cluster(int c) {
        return String.format(Locale.ROOT, "c%05d", c);
    }

    // ---------------------------------------------------------------- the run

    /** A request to make: when it was due, and for reports which node sends. */
    private record Task(long due, int node, boolean burst) {
        static final Task STOP = new Task(-1, -1, false);

        Task(long due, int node) {
            this(due, node, false);
        }
    }

    private final String host;
    private final int port;
    private final String viewer;
    private final String[] clusterTokens;
    private final int nodes;
    private final int clusterCount;
    private final int warmup;
    private final int seconds;
    private final double flipShare;
    private final int flipEvery;
    private final int summaryRate;
    private final int pageRate;
    private final int connections;
    private final long fleetPid;
    private final Optional<Path> gcLog;
    private final String label;
    private final Optional<FleetBenchScrape> scrape;

    // Per node and per cluster: what the simulated agents say. Guarded by the cluster's lock.
    private final Object[] clusterLocks;
    private final boolean[] firstActive;
    private final long[] seq;
    private final long[] eventSeq;
    private final String[] pendingEvent;
    private final String agentStartedAt = Instant.now().toString();

    private final Latencies reports = new Latencies("report ingest (POST reports)", TARGET_REPORT_MS);
    private final Latencies summaries = new Latencies("GET summary", TARGET_SUMMARY_MS);
    private final Latencies pages = new Latencies("GET clusters?page=N&size=50", TARGET_PAGE_MS);
    private final Latencies stream = new Latencies("change on SSE stream", TARGET_STREAM_MS);
    // The same reports in two parts: heartbeats, and the failover bursts that arrive all in the same millisecond.
    private final Latencies heartbeats = new Latencies("  of which heartbeats", TARGET_REPORT_MS);
    private final Latencies bursts = new Latencies("  of which failover bursts", TARGET_REPORT_MS);
    private final Map<Long, Long> flipSent = new ConcurrentHashMap<>();
    private final Map<Long, Long> flipSeen = new ConcurrentHashMap<>();
    private final AtomicLong nextFlip = new AtomicLong();
    private final AtomicLong outdated = new AtomicLong();
    private final AtomicLong streamErrors = new AtomicLong();
    private volatile long measureFrom;
    private volatile long measureTo;
    private long startNanos;

    private FleetBench(Map<String, String> opts) throws IOException {
        URI url = URI.create(required(opts, "url"));
        host = url.getHost();
        port = url.getPort();
        nodes = Integer.parseInt(required(opts, "nodes"));
        clusterCount = clusters(nodes);
        warmup = Integer.parseInt(opts.getOrDefault("warmup", "30"));
        seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
        flipShare = Double.parseDouble(opts.getOrDefault("flip-percent", "2")) / 100;
        flipEvery = Integer.parseInt(opts.getOrDefault("flip-every", "10"));
        summaryRate = Integer.parseInt(opts.getOrDefault("summary-rate", "20"));
        pageRate = Integer.parseInt(opts.getOrDefault("page-rate", "20"));
        connections = Integer.parseInt(opts.getOrDefault("connections", "48"));
        fleetPid = Long.parseLong(opts.getOrDefault("pid", "-1"));
        gcLog = Optional.ofNullable(opts.get("gc-log")).map(Path::of);
        label = opts.getOrDefault("label", "");
        scrape = Optional.ofNullable(opts.get("metrics-url")).map(u -> new FleetBenchScrape(URI.create(u),
                Double.parseDouble(opts.getOrDefault("metrics-every", "2"))));
        Map<String, String> secrets = new HashMap<>();
        try (Stream<String> lines = Files.lines(Path.of(required(opts, "secrets")))) {
            lines.map(l -> l.split(" ")).forEach(f -> secrets.put(f[0], f[1]));
        }
        viewer = secrets.get("viewer");
        clusterTokens = new String[clusterCount];
        for (int c = 0; c < clusterCount; c++) {
            clusterTokens[c] = secrets.get(cluster(c));
            if (clusterTokens[c] == null) {
                throw new IllegalArgumentException("the secrets file has no token for " + cluster(c)
                        + ": make it with 'FleetBench tokens' for at least " + nodes + " nodes");
            }
        }
        clusterLocks = new Object[clusterCount];
        Arrays.setAll(clusterLocks, i -> new Object());
        firstActive = new boolean[clusterCount];
        Arrays.fill(firstActive, true);
        seq = new long[nodes];
        eventSeq = new long[nodes];
        pendingEvent = new String[nodes];
    }

    private static String required(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    boolean run() throws Exception {
        int rate = nodes / 10;
        System.out.printf("fleet bench %s: %d nodes in %d clusters, %d reports/s, %.1f%% of clusters fail over every %d s, "
                        + "summary %d/s, cluster pages %d/s, %d report connections; warm-up %d s, measured %d s%n",
                label, nodes, clusterCount, rate, flipShare * 100, flipEvery, summaryRate, pageRate, connections, warmup,
                seconds);
        Thread sse = new Thread(this::readStream, "sse");
        sse.setDaemon(true);
        sse.start();

        BlockingQueue<Task> reportQueue = new LinkedBlockingQueue<>();
        BlockingQueue<Task> summaryQueue = new LinkedBlockingQueue<>();
        BlockingQueue<Task> pageQueue = new LinkedBlockingQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            workers.add(worker("report-" + i, reportQueue, this::report));
        }
        Random pick = new Random(7);
        int pageCount = Math.max(1, (clusterCount + 49) / 50);
        for (int i = 0; i < 4; i++) {
            workers.add(worker("summary-" + i, summaryQueue, (http, t) -> read(http, t, "/api/v1/fleet/summary", summaries)));
            workers.add(worker("page-" + i, pageQueue, (http, t) -> {
                int page;
                synchronized (pick) {
                    page = pick.nextInt(pageCount);
                }
                read(http, t, "/api/v1/fleet/clusters?page=" + page + "&size=50", pages);
            }));
        }

        // Every node reports once, as fast as the fleet view takes them (as after its restart), so that the timed
        // schedule starts from a full fleet rather than from thousands of first reports at once.
        long fillStart = System.nanoTime();
        measureFrom = Long.MAX_VALUE;
        for (int node : shuffled(nodes, new Random(3))) {
            reportQueue.add(new Task(fillStart, node));
        }
        while (reports.done.get() < nodes) {
            Thread.sleep(50);
        }
        System.out.printf("  first report of all %d nodes taken in %.1f s (%s)%n", nodes,
                (System.nanoTime() - fillStart) / 1e9, reports.brief());

        long start = System.nanoTime();
        startNanos = start;
        scrape.ifPresent(s -> s.start(start, () -> measureFrom, () -> measureTo));
        // The window opens after the warm-up, and not before the fleet view has caught up with what queued up while
        // the JIT was still cold (at most three warm-ups): steady state under the load, not the start's backlog.
        measureFrom = Long.MAX_VALUE;
        measureTo = Long.MAX_VALUE;
        long warmedAt = start + TimeUnit.SECONDS.toNanos(warmup);
        long warmupCap = start + 3 * TimeUnit.SECONDS.toNanos(warmup);
        boolean jitQuiet = fleetPid <= 0;
        long jitTicks = -1;
        long jitCheckAt = warmedAt;
        int[] order = shuffled(nodes, new Random(42));
        double[] load0 = loadAverage();
        long[] cpu0 = null;
        long[] self0 = null;
        long machine0 = 0;
        Map<String, Long> threads0 = Map.of();
        // One dispatcher: every millisecond it queues what has come due. Workers that fall behind leave tasks
        // waiting in the queue, and the wait counts: latencies run from the due time.
        long reportPeriod = HEARTBEAT_NANOS / nodes;
        long summaryPeriod = summaryRate > 0 ? TimeUnit.SECONDS.toNanos(1) / summaryRate : Long.MAX_VALUE;
        long pagePeriod = pageRate > 0 ? TimeUnit.SECONDS.toNanos(1) / pageRate : Long.MAX_VALUE;
        long flipPeriod = TimeUnit.SECONDS.toNanos(flipEvery);
        long nReports = 0;
        long nSummary = 0;
        long nPage = 0;
        long nFlip = 1;
        Random flips = new Random(11);
        int lastSecond = -1;
        while (true) {
            long now = System.nanoTime();
            if (now >= measureTo) {
                break;
            }
            // Steady state: the fleet view's JIT compilers quiet too (C2 can take a core for 80 s after start).
            if (measureFrom == Long.MAX_VALUE && now >= warmedAt && !jitQuiet && now >= jitCheckAt) {
                long ticks = compilerTicks(fleetPid);
                if (jitTicks >= 0) {
                    double cores = (ticks - jitTicks) / 100.0 / JIT_CHECK_SECONDS;
                    jitQuiet = cores < JIT_QUIET_CORES;
                    if (!jitQuiet) {
                        System.out.printf("  %3d s: warm-up goes on, the fleet view's JIT compilers used %.2f cores "
                                + "in the last %d s%n", (now - start) / 1_000_000_000L, cores, JIT_CHECK_SECONDS);
                    }
                }
                jitTicks = ticks;
                jitCheckAt = now + TimeUnit.SECONDS.toNanos(JIT_CHECK_SECONDS);
            }
            if (measureFrom == Long.MAX_VALUE && now >= warmedAt
                    && (jitQuiet && reportQueue.size() < connections || now >= warmupCap)) {
                measureFrom = now;
                measureTo = now + TimeUnit.SECONDS.toNanos(seconds);
                System.out.printf("  %3d s: warm-up over, %s%s; measuring for %d s%n", (now - start) / 1_000_000_000L,
                        reportQueue.size() < connections ? "no backlog" : "still a backlog of " + reportQueue.size()
                                + " reports", jitQuiet ? "" : ", JIT still compiling (warm-up cap reached)", seconds);
            }
            if (cpu0 == null && now >= measureFrom) {
                cpu0 = cpuTicks(fleetPid);
                self0 = cpuTicks(ProcessHandle.current().pid());
                machine0 = machineBusyTicks();
                threads0 = threadTicks(fleetPid);
                load0 = loadAverage();
            }
            for (long due = start + nReports * reportPeriod; due <= now; due = start + ++nReports * reportPeriod) {
                reportQueue.add(new Task(due, order[(int) (nReports % nodes)]));
                reports.due(due, measureFrom, measureTo);
            }
            for (long due = start + nSummary * summaryPeriod; due <= now; due = start + ++nSummary * summaryPeriod) {
                summaryQueue.add(new Task(due, -1));
                summaries.due(due, measureFrom, measureTo);
            }
            for (long due = start + nPage * pagePeriod; due <= now; due = start + ++nPage * pagePeriod) {
                pageQueue.add(new Task(due, -1));
                pages.due(due, measureFrom, measureTo);
            }
            // The first burst after one heartbeat period.
            for (long due = start + HEARTBEAT_NANOS + nFlip * flipPeriod - flipPeriod; due <= now;
                 due = start + HEARTBEAT_NANOS + ++nFlip * flipPeriod - flipPeriod) {
                for (int c : pickClusters(flips)) {
                    int[] both = failOver(c);
                    reportQueue.add(new Task(due, both[0], true)); // the old active node first: it stops, then the other starts
                    reportQueue.add(new Task(due, both[1], true));
                    reports.due(due, measureFrom, measureTo);
                    reports.due(due, measureFrom, measureTo);
                }
            }
            int second = (int) ((now - start) / 1_000_000_000L);
            if (second != lastSecond && second % 10 == 0) {
                lastSecond = second;
                System.out.printf("  %3d s: %s, report queue %d, %d reports done (%s)%n", second,
                        now < measureFrom ? "warm-up" : "measuring", reportQueue.size(), reports.done.get(),
                        reports.brief());
            }
            LockSupport.parkNanos(1_000_000);
        }
        long[] cpu1 = cpuTicks(fleetPid);
        long[] self1 = cpuTicks(ProcessHandle.current().pid());
        long machine1 = machineBusyTicks();
        Map<String, Long> threads1 = threadTicks(fleetPid);
        double[] load1 = loadAverage();
        long end = System.nanoTime();
        // Up to 30 s for what is queued; what is left then was due in the window and never answered: errors.
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < drainDeadline
                && !(reportQueue.isEmpty() && summaryQueue.isEmpty() && pageQueue.isEmpty())) {
            Thread.sleep(100);
        }
        reportQueue.clear();
        summaryQueue.clear();
        pageQueue.clear();
        for (int i = 0; i < connections; i++) {
            reportQueue.add(Task.STOP);
        }
        for (int i = 0; i < 4; i++) {
            summaryQueue.add(Task.STOP);
            pageQueue.add(Task.STOP);
        }
        for (Thread w : workers) {
            w.join(15_000); // a request in flight ends within its 10 s socket timeout
        }
        Thread.sleep(2000); // the stream's last events: the feed polls every 200 ms
        String finalSummary = finalSummary();

        // SSE: every failover event sent in the window either seen (its latency) or missing (an error).
        for (Map.Entry<Long, Long> sent : flipSent.entrySet()) {
            long at = sent.getValue();
            if (at < measureFrom || at >= measureTo) {
                continue;
            }
            Long seen = flipSeen.get(sent.getKey());
            stream.add(seen == null ? -1 : (seen - at) / 1000, seen != null);
        }
        boolean passed = print(load0, load1, cpu0, cpu1, self0, self1, machine1 - machine0, end - measureFrom,
                finalSummary);
        printThreads(threads0, threads1, (end - measureFrom) / 1e9);
        return passed;
    }

    private List<Integer> pickClusters(Random random) {
        int n = (int) Math.round(clusterCount * flipShare);
        List<Integer> all = new ArrayList<>();
        int[] order = shuffled(clusterCount, random);
        for (int i = 0; i < n; i++) {
            all.add(order[i]);
        }
        return all;
    }

    private static int[] shuffled(int n, Random random) {
        int[] a = new int[n];
        Arrays.setAll(a, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** The active node of cluster c stops and the other starts; each gets its transition event. Returns {old, new}. */
    private int[] failOver(int c) {
        synchronized (clusterLocks[c]) {
            int oldActive = firstActive[c] ? 2 * c : 2 * c + 1;
            int newActive = firstActive[c] ? 2 * c + 1 : 2 * c;
            firstActive[c] = !firstActive[c];
            long flip = nextFlip.getAndIncrement();
            pendingEvent[oldActive] = event(oldActive, "RUNNING → STOPPED: failover (bench-flip=" + 2 * flip + ")");
            pendingEvent[newActive] = event(newActive, "STOPPED → RUNNING: failover (bench-flip=" + (2 * flip + 1) + ")");
            return new int[] {oldActive, newActive};
        }
    }

    private String event(int node, String text) {
        return "{\"seq\":" + ++eventSeq[node] + ",\"at\":\"" + Instant.now() + "\",\"tag\":\"hulft\",\"type\":\"transition\","
                + "\"text\":\"" + text + "\"}";
    }

    /** The node's full report now: its seq, its resource as active or standby, and a pending event if any. */
    private byte[] body(int node, long[] flipKey) {
        int c = node / 2;
        String now = Instant.now().toString();
        long s;
        boolean active;
        String event;
        synchronized (clusterLocks[c]) {
            s = ++seq[node];
            active = firstActive[c] == (node % 2 == 0);
            event = pendingEvent[node];
            pendingEvent[node] = null;
        }
        if (event != null) {
            Matcher m = FLIP.matcher(event);
            flipKey[0] = m.find() ? Long.parseLong(m.group(1)) : -1;
        }
        String json = "{\"cluster\":\"" + cluster(c) + "\",\"node\":\"node" + (node % 2 + 1)
                + "\",\"agentVersion\":\"bench\",\"agentStartedAt\":\"" + agentStartedAt + "\",\"seq\":" + s
                + ",\"sentAt\":\"" + now + "\",\"resources\":[{\"tag\":\"hulft\",\"service\":\"HULFT8\",\"status\":\""
                + (active ? "RUNNING\",\"role\":\"active\"" : "STOPPED\",\"role\":\"standby\"")
                + ",\"since\":\"" + agentStartedAt + "\",\"checkedAt\":\"" + now + "\",\"ports\":[{\"key\":\"hulrcvd\","
                + "\"port\":30000,\"ok\":" + active + ",\"latencyMicros\":180}]}],\"events\":["
                + (event == null ? "" : event) + "],\"dropped\":0}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private interface Job {
        void run(FleetBenchHttp http, Task task) throws IOException;
    }

    private Thread worker(String name, BlockingQueue<Task> queue, Job job) {
        Thread t = new Thread(() -> {
            FleetBenchHttp http = new FleetBenchHttp(host, port);
            try {
                for (Task task = queue.take(); task != Task.STOP; task = queue.take()) {
                    job.run(http, task);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                http.close();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void report(FleetBenchHttp http, Task task) {
        long[] flipKey = {-1};
        byte[] body = body(task.node(), flipKey);
        if (flipKey[0] >= 0) {
            flipSent.put(flipKey[0], System.nanoTime()); // before the send: the event may be on the stream before the answer
        }
        boolean ok;
        try {
            FleetBenchHttp.Response r = http.post(REPORTS, clusterTokens[task.node() / 2], body, true);
            ok = r.status() == 202;
            if (ok && r.text().contains("\"OUTDATED\"")) {
                outdated.incrementAndGet();
            }
            if (!ok) {
                reports.note(r.status() + " " + r.text());
            }
        } catch (IOException e) {
            ok = false;
            reports.note(e.toString());
        }
        record(reports, task, ok);
        record(task.burst() ? bursts : heartbeats, task, ok);
    }

    private void read(FleetBenchHttp http, Task task, String path, Latencies into) {
        boolean ok;
        try {
            FleetBenchHttp.Response r = http.get(path, viewer, false);
            ok = r.status() == 200;
            if (!ok) {
                into.note("status " + r.status());
            }
        } catch (IOException e) {
            ok = false;
            into.note(e.toString());
        }
        record(into, task, ok);
    }

    private void record(Latencies into, Task task, boolean ok) {
        long now = System.nanoTime();
        into.done.incrementAndGet();
        into.recent((now - task.due()) / 1000);
        if (task.due() >= measureFrom && task.due() < measureTo) {
            into.add((now - task.due()) / 1000, ok);
        }
    }

    /** Reads the live stream until the process ends; reconnects after Last-Event-ID when it breaks. */
    private void readStream() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        String lastId = null;
        while (true) {
            try {
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port
                        + "/api/v1/fleet/stream")).header("Authorization", "Bearer " + viewer)
                        .header("Accept", "text/event-stream");
                if (lastId != null) {
                    req.header("Last-Event-ID", lastId);
                }
                HttpResponse<Stream<String>> r = client.send(req.build(), HttpResponse.BodyHandlers.ofLines());
                if (r.statusCode() != 200) {
                    throw new IOException("status " + r.statusCode());
                }
                for (String line : (Iterable<String>) r.body()::iterator) {
                    if (line.startsWith("id:")) {
                        lastId = line.substring(3).strip();
                    } else if (line.startsWith("data:")) {
                        Matcher m = FLIP.matcher(line);
                        if (m.find()) {
                            flipSeen.putIfAbsent(Long.parseLong(m.group(1)), System.nanoTime());
                        }
                    }
                }
                throw new IOException("the stream ended");
            } catch (IOException | RuntimeException e) {
                streamErrors.incrementAndGet();
                System.out.println("  SSE: " + e.getMessage() + "; reconnecting");
            } catch (InterruptedException e) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private String finalSummary() {
        try {
            FleetBenchHttp http = new FleetBenchHttp(host, port);
            String s = http.get("/api/v1/fleet/summary", viewer, true).text();
            http.close();
            return s;
        } catch (IOException e) {
            return "(no summary: " + e.getMessage() + ")";
        }
    }

    // ---------------------------------------------------------------- figures

    private boolean print(double[] load0, double[] load1, long[] cpu0, long[] cpu1, long[] self0, long[] self1,
                          long machineTicks, long measuredNanos, String finalSummary) throws Exception {
        double secs = measuredNanos / 1e9;
        System.out.println();
        System.out.printf("fleet bench %s: %d nodes, %d clusters, measured %d s after a warm-up of %d s%n", label,
                nodes, clusterCount, seconds, (measureFrom - startNanos) / 1_000_000_000L);
        System.out.printf("%-30s %9s %7s %9s %9s %9s %9s %8s  %s%n", "", "requests", "errors", "p50 ms", "p90 ms",
                "p99 ms", "max ms", "p99 ≤", "");
        boolean pass = true;
        for (Latencies l : List.of(reports, summaries, pages, stream)) {
            if (l != stream) {
                l.unanswered();
            }
            pass &= l.print();
            if (l == reports) { // for the cause of a miss only: the target is on all reports
                heartbeats.print();
                bursts.print();
            }
        }
        if (scrape.isPresent()) {
            pass &= scrape.get().print();
        }
        System.out.printf("reports: %.0f/s due and answered, %d outdated (a newer report of the node was kept first); "
                + "SSE stream errors %d%n", reports.count() / secs, outdated.get(), streamErrors.get());
        if (fleetPid > 0 && cpu0 != null && cpu1 != null) {
            double hz = 100.0; // USER_HZ on Linux
            double fleet = (cpu1[0] - cpu0[0]) / hz / secs;
            double self = (self1[0] - self0[0]) / hz / secs;
            double machine = machineTicks / hz / secs;
            System.out.printf("CPU: fleet view %.2f cores, load generator %.2f cores, everything else (the database "
                            + "server, if local) %.2f cores; machine busy %.2f of %d%n", fleet, self,
                    Math.max(0, machine - fleet - self), machine, Runtime.getRuntime().availableProcessors());
        }
        System.out.printf("load average (1 min): %.2f at measuring start, %.2f at its end%n", load0[0], load1[0]);
        if (fleetPid > 0) {
            pass &= printMemory();
        }
        System.out.println("summary at the end: " + finalSummary);
        System.out.printf("RESULT nodes=%d label=%s pass=%s report_p99=%.1f summary_p99=%.1f page_p99=%.1f stream_p99=%.1f "
                        + "errors=%d%s%n", nodes, label.isEmpty() ? "-" : label, pass, reports.p(0.99), summaries.p(0.99),
                pages.p(0.99), stream.p(0.99), reports.errors.get() + summaries.errors.get() + pages.errors.get()
                        + stream.errors.get(), scrape.map(s -> String.format(Locale.ROOT, " metrics_p99=%.1f "
                        + "metrics_bytes=%d", s.latencies.p(0.99), s.maxBytes())).orElse(""));
        return pass;
    }

    /** Heap after GC: the largest live heap the GC log shows, and used heap after a full GC now; the process's peak RSS. */
    private boolean printMemory() throws Exception {
        long maxAfter = -1;
        long maxPause = 0;
        int pauses = 0;
        boolean zgc = false;
        if (gcLog.isPresent() && Files.exists(gcLog.get())) {
            Pattern p = Pattern.compile("Pause.* (\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");
            // ZGC collects concurrently: "Garbage Collection (Allocation Rate) 412M(40%)->128M(13%)".
            Pattern z = Pattern.compile("Garbage Collection \\([^)]*\\) (\\d+)M\\(\\d+%\\)->(\\d+)M\\(\\d+%\\)");
            for (String line : Files.readAllLines(gcLog.get())) {
                Matcher m = p.matcher(line);
                Matcher zm = z.matcher(line);
                if (m.find()) {
                    maxAfter = Math.max(maxAfter, Long.parseLong(m.group(2)));
                    maxPause = Math.max(maxPause, (long) Double.parseDouble(m.group(4)));
                    pauses++;
                } else if (zm.find()) {
                    maxAfter = Math.max(maxAfter, Long.parseLong(zm.group(2)));
                    zgc = true;
                }
            }
        }
        String heapInfo = jcmd("GC.run") + jcmd("GC.heap_info");
        // The heap's line comes first: G1 "garbage-first heap total 331776K, used 60123K", ZGC "ZHeap used 50M".
        Matcher used = Pattern.compile("used (\\d+)([KM])").matcher(heapInfo);
        long usedAfterFull = !used.find() ? -1
                : used.group(2).equals("M") ? Long.parseLong(used.group(1)) : Long.parseLong(used.group(1)) / 1024;
        String status = Files.readString(Path.of("/proc/" + fleetPid + "/status"));
        Matcher hwm = Pattern.compile("VmHWM:\\s+(\\d+) kB").matcher(status);
        long rss = hwm.find() ? Long.parseLong(hwm.group(1)) / 1024 : -1;
        boolean pass = maxAfter >= 0 && maxAfter <= TARGET_HEAP_MIB && usedAfterFull <= TARGET_HEAP_MIB;
        System.out.printf("heap: at most %d MiB live after a GC (%s), %d MiB used after a full GC at the end; peak RSS "
                        + "(VmHWM) %d MiB%s; target heap ≤ %d MiB: %s%n", maxAfter, zgc ? "ZGC, collected concurrently"
                        : pauses + " pauses, longest " + maxPause + " ms", usedAfterFull, rss,
                zgc ? " (ZGC maps the heap three times, and RSS counts each)" : "", TARGET_HEAP_MIB,
                pass ? "pass" : "FAIL");
        return pass;
    }

    private String jcmd(String command) throws Exception {
        Process p = new ProcessBuilder("jcmd", Long.toString(fleetPid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** utime + stime from a /proc stat line (of a process or of one of its threads), in clock ticks. */
    private static long ticksOf(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** utime + stime of a process in clock ticks; {0} when it cannot be read. */
    private static long[] cpuTicks(long pid) {
        if (pid <= 0) {
            return new long[] {0};
        }
        try {
            return new long[] {ticksOf(Files.readString(Path.of("/proc/" + pid + "/stat")))};
        } catch (IOException e) {
            return new long[] {0};
        }
    }

    private static final int JIT_CHECK_SECONDS = 5;
    private static final double JIT_QUIET_CORES = 0.1;

    /** CPU of the fleet view's JIT compiler threads, in clock ticks. */
    private static long compilerTicks(long pid) {
        return threadTicks(pid).entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** CPU of the fleet view's threads by name (numbers left out), in clock ticks; empty if unreadable. */
    private static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> ticks = new HashMap<>();
        if (pid <= 0) {
            return ticks;
        }
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    ticks.merge(name, ticksOf(stat), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    /** The fleet view's busiest threads in the measured window (threads that ended meanwhile are not counted). */
    private static void printThreads(Map<String, Long> before, Map<String, Long> after, double secs) {
        List<Map.Entry<String, Long>> used = new ArrayList<>();
        after.forEach((name, t) -> used.add(Map.entry(name, t - before.getOrDefault(name, 0L))));
        used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder line = new StringBuilder("fleet view threads (cores):");
        for (Map.Entry<String, Long> e : used.subList(0, Math.min(8, used.size()))) {
            line.append(String.format(" %s %.2f;", e.getKey(), e.getValue() / 100.0 / secs));
        }
        System.out.println(line);
    }

    /** Busy clock ticks of all CPUs of the machine (all but idle and I/O wait), from /proc/stat; 0 if unreadable. */
    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
                busy += i == 4 || i == 5 ? 0 : Long.parseLong(f[i]);
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
        } catch (IOException e) {
            return new double[] {-1, -1};
        }
    }

    /** Latencies in microseconds of one kind of request within the measured window, and its errors. */
    static final class Latencies {
        final String name;
        final long targetMs;
        final AtomicLong errors = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        private final AtomicLong dueInWindow = new AtomicLong();
        private long[] micros = new long[1 << 16];
        private int n;
        private long[] sorted;
        private final long[] window = new long[256];
        private int windowAt;
        private volatile String lastError;

        Latencies(String name, long targetMs) {
            this.name = name;
            this.targetMs = targetMs;
        }

        /** A failed request counts as an error and not as a latency (-1 when it never completed). */
        synchronized void add(long us, boolean ok) {
            if (!ok) {
                errors.incrementAndGet();
                return;
            }
            if (n == micros.length) {
                micros = Arrays.copyOf(micros, n * 2);
            }
            micros[n++] = us;
            sorted = null;
        }

        void due(long due, long from, long to) {
            if (due >= from && due < to) {
                dueInWindow.incrementAndGet();
            }
        }

        /** Requests due in the window that got no answer by the end of the run count as errors. */
        synchronized void unanswered() {
            long missing = dueInWindow.get() - n - errors.get();
            if (missing > 0) {
                errors.addAndGet(missing);
                note(missing + " requests due in the window were not answered by the end of the run");
            }
        }

        synchronized void recent(long us) {
            window[windowAt++ % window.length] = us;
        }

        /** The last 256 latencies' p50 and max, for progress lines during the run. */
        synchronized String brief() {
            int k = Math.min(windowAt, window.length);
            if (k == 0) {
                return "none yet";
            }
            long[] w = Arrays.copyOf(window, k);
            Arrays.sort(w);
            return String.format(Locale.ROOT, "last %d: p50 %.1f ms, max %.1f ms%s", k, w[k / 2] / 1000.0,
                    w[k - 1] / 1000.0, lastError == null ? "" : "; last error " + lastError);
        }

        void note(String error) {
            lastError = error.length() > 200 ? error.substring(0, 200) : error;
        }

        synchronized int count() {
            return n;
        }

        synchronized double p(double q) {
            if (n == 0) {
                return Double.NaN;
            }
            if (sorted == null) {
                sorted = Arrays.copyOf(micros, n);
                Arrays.sort(sorted);
            }
            return sorted[(int) Math.min(n - 1, Math.ceil(q * n) - 1)] / 1000.0;
        }

        boolean print() {
            boolean pass = n > 0 && errors.get() == 0 && p(0.99) <= targetMs;
            System.out.printf(Locale.ROOT, "%-30s %9d %7d %9.1f %9.1f %9.1f %9.1f %8s  %s%n", name, count() + errors.get(),
                    errors.get(), p(0.5), p(0.9), p(0.99), p(1.0), targetMs + " ms", pass ? "pass" : "FAIL"
                            + (lastError == null ? "" : " (last error: " + lastError + ")"));
            return pass;
        }
    }
}
