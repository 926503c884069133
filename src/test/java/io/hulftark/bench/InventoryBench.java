package io.hulftark.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;
import io.hulftark.wire.Status;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The inventory under the fleet benchmark's report load (issue 13), over real HTTP against a running
 * {@code hulft-ark fleet} (src/bench/inventory.sh starts one and runs this):
 * <pre>
 * InventoryBench --url http://127.0.0.1:PORT --secrets SECRETS_FILE --nodes N [--warmup 20] [--pages 100]
 *                [--heartbeats on|off]
 * </pre>
 * (SECRETS_FILE as {@code FleetBench tokens} writes it.) First every node reports once with its facts (agent
 * version, OS, JVM and LifeKeeper varied across the fleet, two resources' settings and preflight rows); then each
 * node sends a heartbeat without facts every 10 s, as FleetBench's agents do (N/10 reports a second, spread evenly),
 * and after the warm-up, meanwhile, 100 filtered inventory pages (5 a second, 12 kinds of filter, sort and page) and
 * 3 CSV exports of every node. Prints p50/p99 of the pages, each export's time and size, the heartbeats' own p99,
 * and the bytes of one heartbeat without facts against the same with facts (and with the field absent, as before
 * issue 13: the same bytes). Exit 0 when page p99 &lt;= 100 ms and every export &lt;= 2 s, 3 when not.
 */
public final class InventoryBench {

    static final long TARGET_PAGE_MS = 100;
    static final long TARGET_CSV_MS = 2000;
    static final String[] VERSIONS = {"1.2.0", "1.2.0", "1.2.0", "1.1.3", "1.1.3", "0.1.0"};
    static final String[][] OSES = {{"Windows Server 2022", "10.0.20348"}, {"Windows Server 2019", "10.0.17763"},
            {"Red Hat Enterprise Linux", "9.4"}, {"Red Hat Enterprise Linux", "8.10"}};
    static final String[] JVMS = {"17.0.13 (Eclipse Adoptium)", "21.0.5 (Eclipse Adoptium)", "17.0.9 (Red Hat)"};
    static final String[] LIFEKEEPER = {"9.8.0", "9.7.1", null, "(none)"};
    /** The agent's own serialisation of a report (FleetPusher). */
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final String host;
    private final int port;
    private final String viewer;
    private final Map<String, String> clusterTokens = new HashMap<>();
    private final int nodes;
    private final int warmup;
    private final int pageCount;
    private final boolean heartbeats;
    private final Instant startedAt = Instant.now();
    private final long[] seq;

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!opts.containsKey("url") || !opts.containsKey("secrets") || !opts.containsKey("nodes")) {
            System.err.println("usage: InventoryBench --url URL --secrets FILE --nodes N [--warmup S] [--pages N]");
            System.exit(2);
        }
        System.exit(new InventoryBench(opts).run() ? 0 : 3);
    }

    private InventoryBench(Map<String, String> opts) throws IOException {
        URI url = URI.create(opts.get("url"));
        host = url.getHost();
        port = url.getPort();
        nodes = Integer.parseInt(opts.get("nodes"));
        warmup = Integer.parseInt(opts.getOrDefault("warmup", "20"));
        pageCount = Integer.parseInt(opts.getOrDefault("pages", "100"));
        heartbeats = !opts.getOrDefault("heartbeats", "on").equals("off");
        String v = null;
        for (String line : Files.readAllLines(Path.of(opts.get("secrets")))) {
            String[] f = line.split(" ");
            if (f[0].equals("viewer")) {
                v = f[1];
            } else {
                clusterTokens.put(f[0], f[1]);
            }
        }
        viewer = v;
        seq = new long[nodes];
    }

    // ---------------------------------------------------------------- what the agents send

    static NodeFacts facts(int node) {
        Random r = new Random(node);
        String[] os = OSES[r.nextInt(OSES.length)];
        String lk = LIFEKEEPER[r.nextInt(LIFEKEEPER.length)];
        List<NodeFacts.ResourceFacts> resources = new ArrayList<>();
        for (String tag : List.of("hulft", "hulft2")) {
            Map<String, String> settings = new HashMap<>();
            settings.put("service", "HULFT8 Service " + tag);
            settings.put("startType", node % 2 == 0 ? "manual" : "disabled");
            settings.put("$debug", "0");
            settings.put("$exe_path", "C:\\HULFT Family\\hulft8\\" + tag + "\\bin");
            settings.put("$conf_file", "E:\\HULFT Family\\hulft8\\" + tag + "\\etc\\hulenv.cnf");
            settings.put("hulenv.rcvport", "30000");
            settings.put("hulenv.obsport", "31000");
            settings.put("hulenv.myhostname", "vhost-" + tag);
            settings.put("hulenv.digest", "3f".repeat(32));
            settings.put("probe", "ports");
            settings.put("LKHULFT_TIMEOUT", "300");
            settings.put("LKHULFT_RETRIES", "3");
            settings.put("LKHULFT_FORCE_REMOVE", "0");
            settings.put("hulftark.agent.check-interval", "PT5S");
            List<NodeFacts.PreflightRow> rows = List.of(
                    new NodeFacts.PreflightRow("exe_path", "OK", "found"),
                    new NodeFacts.PreflightRow("conf_file", node % 97 == 0 ? "FAIL" : "OK",
                            node % 97 == 0 ? "not readable" : "readable"),
                    new NodeFacts.PreflightRow("ports", "OK", "30000, 31000 free"),
                    new NodeFacts.PreflightRow("service", "OK", "installed, manual"));
            resources.add(new NodeFacts.ResourceFacts(tag, settings, rows));
        }
        return new NodeFacts(String.format("%064x", node), Instant.now(), VERSIONS[r.nextInt(VERSIONS.length)],
                os[0], os[1], JVMS[r.nextInt(JVMS.length)], "host-" + node + ".example", "windows",
                !"(none)".equals(lk), "(none)".equals(lk) ? null : lk, resources, Instant.now());
    }

    Report report(int node, NodeFacts facts) {
        String now = Instant.now().toString();
        boolean active = node % 2 == 0;
        Instant at = Instant.parse(now);
        Report.Resource r = new Report.Resource("hulft", "HULFT8", active ? Status.RUNNING : Status.STOPPED,
                active ? "active" : "standby", startedAt, null, at,
                List.of(new Report.Port("hulrcvd", 30000, active, 180, null)));
        long s;
        synchronized (seq) {
            s = ++seq[node];
        }
        return new Report(FleetBench.cluster(node / 2), "node" + (node % 2 + 1),
                VERSIONS[new Random(node).nextInt(VERSIONS.length)], startedAt, s, at, List.of(r), List.of(), 0,
                null, Map.of("site", node % 3 == 0 ? "osaka" : "tokyo"), null, null, facts);
    }

    private int post(FleetBenchHttp http, int node, boolean withFacts) throws IOException {
        byte[] body = JSON.writeValueAsBytes(report(node, withFacts ? facts(node) : null));
        return http.post(FleetBench.REPORTS, clusterTokens.get(FleetBench.cluster(node / 2)), body, false).status();
    }

    // ---------------------------------------------------------------- the run

    boolean run() throws Exception {
        System.out.printf("inventory bench: %d nodes in %d clusters, heartbeats %d/s, warm-up %d s, %d pages%n",
                nodes, nodes / 2, nodes / 10, warmup, pageCount);
        sizes();

        // Every node once with its facts, as fast as the fleet view takes them.
        long t0 = System.nanoTime();
        ExecutorService fill = Executors.newFixedThreadPool(16);
        AtomicLong failed = new AtomicLong();
        AtomicLong next = new AtomicLong();
        for (int w = 0; w < 16; w++) {
            fill.submit(() -> {
                try (FleetBenchHttp http = new FleetBenchHttp(host, port)) {
                    for (long n = next.getAndIncrement(); n < nodes; n = next.getAndIncrement()) {
                        if (post(http, (int) n, true) != 202) {
                            failed.incrementAndGet();
                        }
                    }
                }
                return null;
            });
        }
        fill.shutdown();
        fill.awaitTermination(30, TimeUnit.MINUTES);
        System.out.printf("  %d nodes reported their facts in %.1f s (%d refused)%n", nodes,
                (System.nanoTime() - t0) / 1e9, failed.get());

        // The heartbeat load: each node every 10 s, without facts, latency from when it was due.
        AtomicBoolean stop = new AtomicBoolean();
        List<Long> heartbeatMicros = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean measuring = new AtomicBoolean();
        int workers = heartbeats ? 24 : 0; // off: the inventory's own cost, to tell it from the load's
        ExecutorService load = Executors.newFixedThreadPool(Math.max(1, workers));
        long period = TimeUnit.SECONDS.toNanos(10) / nodes;
        long loadStart = System.nanoTime();
        AtomicLong tick = new AtomicLong();
        AtomicReference<Throwable> loadFailure = new AtomicReference<>();
        for (int w = 0; w < workers; w++) {
            load.submit(() -> {
                try (FleetBenchHttp http = new FleetBenchHttp(host, port)) {
                    while (!stop.get()) {
                        long k = tick.getAndIncrement();
                        long due = loadStart + k * period;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        post(http, (int) (k % nodes), false);
                        if (measuring.get()) {
                            heartbeatMicros.add((System.nanoTime() - due) / 1000);
                        }
                    }
                } catch (Throwable e) {
                    loadFailure.compareAndSet(null, e);
                }
                return null;
            });
        }
        TimeUnit.SECONDS.sleep(warmup);
        measuring.set(true);

        List<Long> pageMicros = new ArrayList<>();
        Map<String, Long> slowest = new java.util.TreeMap<>();
        Random pick = new Random(5);
        long[] matched = new long[1];
        try (FleetBenchHttp http = new FleetBenchHttp(host, port)) {
            for (int i = 0; i < pageCount; i++) {
                String path = "/api/v1/fleet/inventory?" + query(i, pick);
                long start = System.nanoTime();
                FleetBenchHttp.Response r = http.get(path, viewer, true);
                long took = (System.nanoTime() - start) / 1000;
                pageMicros.add(took);
                slowest.merge(path.substring(path.indexOf('?') + 1).replaceAll("=[^&]*", "="), took, Math::max);
                if (r.status() != 200) {
                    throw new IllegalStateException(path + " answered " + r.status() + ": " + r.text());
                }
                matched[0] += JSON.readTree(r.body()).get("total").asLong();
                TimeUnit.MILLISECONDS.sleep(200); // 5 a second, as a few people at the dashboard would
            }
            List<String> exports = new ArrayList<>();
            boolean csvOk = true;
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                FleetBenchHttp.Response r = http.get("/api/v1/fleet/inventory?format=csv&sort=agentVersion", viewer,
                        true);
                long ms = (System.nanoTime() - start) / 1_000_000;
                long lines = r.text().chars().filter(c -> c == '\n').count() - 1;
                if (r.status() != 200 || lines != nodes) {
                    throw new IllegalStateException("the CSV export answered " + r.status() + " with " + lines
                            + " rows, not " + nodes);
                }
                csvOk &= ms <= TARGET_CSV_MS;
                exports.add(String.format("%d ms (%.1f MB)", ms, r.body().length / 1e6));
            }
            measuring.set(false);
            stop.set(true);
            load.shutdown();
            load.awaitTermination(1, TimeUnit.MINUTES);
            if (loadFailure.get() != null) {
                throw new IllegalStateException("the heartbeat load failed", loadFailure.get());
            }
            long p50 = percentile(pageMicros, 50) / 1000;
            long p99 = percentile(pageMicros, 99) / 1000;
            FleetBenchHttp.Response counts = http.get("/api/v1/fleet/inventory/counts", viewer, true);
            System.out.printf("  heartbeats meanwhile: %d, p50 %d ms, p99 %d ms%n", heartbeatMicros.size(),
                    percentile(heartbeatMicros, 50) / 1000, percentile(heartbeatMicros, 99) / 1000);
            System.out.printf("  counts: %s%n", counts.text().length() > 300 ? counts.text().substring(0, 300) + "..."
                    : counts.text());
            slowest.forEach((kind, micros) -> System.out.printf("  slowest page of kind %-40s %5d ms%n", kind,
                    micros / 1000));
            System.out.printf("%-44s %10s %10s %10s  %s%n", "measure", "p50", "p99", "target", "");
            System.out.printf("%-44s %7d ms %7d ms %7d ms  %s%n", "GET inventory page (" + pageCount + ", filtered)",
                    p50, p99, TARGET_PAGE_MS, p99 <= TARGET_PAGE_MS ? "PASS" : "MISS");
            System.out.printf("%-44s %s  target %d ms  %s%n", "CSV export of all " + nodes + " nodes",
                    String.join(", ", exports), TARGET_CSV_MS, csvOk ? "PASS" : "MISS");
            System.out.printf("RESULT inventory nodes=%d page_p50_ms=%d page_p99_ms=%d csv=%s avg_matched=%d%n", nodes,
                    p50, p99, exports.get(exports.size() - 1).replace(' ', '_'), matched[0] / pageCount);
            return p99 <= TARGET_PAGE_MS && csvOk;
        }
    }

    /** The i-th page's query: filters, sorts and pages of the kinds the dashboard asks for. */
    private String query(int i, Random pick) {
        int cluster = pick.nextInt(nodes / 2);
        String[] os = OSES[pick.nextInt(OSES.length)];
        return switch (i % 12) {
            case 0 -> "limit=50";
            case 1 -> "agentVersion=0.1.0&limit=50";
            case 2 -> "os=" + enc(os[0] + " " + os[1]) + "&sort=jvm&limit=100";
            case 3 -> "jvm=" + enc(JVMS[pick.nextInt(JVMS.length)]) + "&sort=node&order=desc&limit=50";
            case 4 -> "lifekeeper=" + enc("(none)") + "&limit=50";
            case 5 -> "lifekeeper=" + enc("(unknown)") + "&sort=os&limit=50";
            case 6 -> "q=" + FleetBench.cluster(cluster).substring(0, 4) + "&limit=50";
            case 7 -> "q=host-" + pick.nextInt(nodes) + "&limit=50";
            case 8 -> "label=site%3Dosaka&sort=agentVersion&order=desc&limit=100";
            case 9 -> "readiness=true&limit=50";
            case 10 -> "sort=receivedAt&order=desc&offset=" + pick.nextInt(Math.max(1, nodes - 50)) + "&limit=50";
            default -> "cluster=" + FleetBench.cluster(cluster) + "&label=site%3Dtokyo";
        };
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Bytes on the wire of one heartbeat: without facts, with them, and with no such field (before issue 13). */
    private void sizes() throws IOException {
        Report r = report(0, null);
        byte[] without = JSON.writeValueAsBytes(r);
        byte[] old = JSON.writeValueAsBytes(new Report(r.cluster(), r.node(), r.agentVersion(), r.agentStartedAt(),
                r.seq(), r.sentAt(), r.resources(), r.events(), r.dropped(), r.instance(), r.labels(),
                r.fleetActions(), r.actionsVia()));
        byte[] with = JSON.writeValueAsBytes(new Report(r.cluster(), r.node(), r.agentVersion(), r.agentStartedAt(),
                r.seq(), r.sentAt(), r.resources(), r.events(), r.dropped(), r.instance(), r.labels(),
                r.fleetActions(), r.actionsVia(), facts(0)));
        System.out.printf("  one report: %d bytes without facts (%d as before issue 13: %s), %d bytes with facts "
                        + "(2 resources' settings and preflight; sent at start and on a change only)%n",
                without.length, old.length, Arrays.equals(without, old) ? "the same" : "DIFFERENT", with.length);
        Arrays.fill(seq, 0);
    }

    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
