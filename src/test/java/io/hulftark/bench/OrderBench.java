package io.hulftark.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load side of src/bench/orders.sh: NODES agents' order channels (GET /api/v1/fleet/orders?node=..&wait=..)
 * held by this one process through the JDK's asynchronous HttpClient (one connection each, no thread each), each
 * asked again at once when answered, as the agent does. Then either
 * <ul>
 *   <li>{@code latency}: ROUNDS (40) times, PER_ROUND (50: a batch's highest concurrency) random nodes get an order
 *       at once (placed through {@link OrderBenchServer}'s control port), then, for information, one burst of an
 *       order for every node; the time from the placing request to the order's arrival on its node's connection,
 *       p50/p99/max;</li>
 *   <li>{@code idle}: the fleet view's heap after a GC and its threads, before and with the connections held.</li>
 * </ul>
 * Prints RESULT lines; exit 0 when the targets are met (p99 ≤ 1 s; ≤ 20 KB heap per connection and no thread
 * per connection), 3 when one is missed.
 */
public final class OrderBench {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STAT = Pattern.compile("(\\w+)=(\\d+)");

    private final URI api;
    private final URI control;
    private final String token;
    private final int wait;
    private final HttpClient http;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Long> arrived = new ConcurrentHashMap<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private volatile boolean stopping;

    OrderBench(URI api, URI control, String token, int wait) {
        this.api = api;
        this.control = control;
        this.token = token;
        this.wait = wait;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String mode = a.getOrDefault("mode", "latency");
        int nodes = Integer.parseInt(a.getOrDefault("nodes", "1000"));
        OrderBench b = new OrderBench(URI.create(a.get("api")), URI.create(a.get("control")), a.get("token"),
                Integer.parseInt(a.getOrDefault("wait", mode.equals("idle") ? "60" : "25")));
        boolean ok = mode.equals("idle") ? b.idle(nodes)
                : b.latency(nodes, Integer.parseInt(a.getOrDefault("rounds", "40")),
                Integer.parseInt(a.getOrDefault("per-round", "50")));
        b.stopping = true;
        System.exit(ok ? 0 : 3);
    }

    static String node(int i) {
        return String.format(Locale.ROOT, "bench-%05d", i);
    }

    /** One agent's channel: ask, and on every answer ask again at once. */
    private void hold(String node) {
        if (stopping) {
            return;
        }
        HttpRequest req = HttpRequest.newBuilder(api.resolve("/api/v1/fleet/orders?node=" + node + "&wait=" + wait))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(wait + 30)).GET().build();
        http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            long now = System.nanoTime();
            if (e != null || (r.statusCode() != 200 && r.statusCode() != 204)) {
                if (errors.incrementAndGet() <= 5) {
                    System.err.println(node + ": " + (e != null ? e : r.statusCode() + " " + r.body()));
                }
                retry.schedule(() -> hold(node), 1, TimeUnit.SECONDS);
                return;
            }
            answered.incrementAndGet();
            if (r.statusCode() == 200) {
                Matcher m = ID.matcher(r.body());
                while (m.find()) {
                    arrived.putIfAbsent(m.group(1), now);
                }
            }
            hold(node);
        });
    }

    private void holdAll(int nodes) throws Exception {
        long start = System.nanoTime();
        for (int i = 1; i <= nodes; i++) {
            hold(node(i));
            if (i % 500 == 0) {
                Thread.sleep(50); // the fleet view's accept queue: connect in waves, as agents start
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (stats(false).get("waiters") < nodes) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + stats(false).get("waiters") + " of " + nodes
                        + " requests held after 120 s; errors " + errors.get());
            }
            Thread.sleep(200);
        }
        System.out.printf(Locale.ROOT, "%d connections held after %.1f s%n", nodes,
                (System.nanoTime() - start) / 1e9);
    }

    boolean latency(int nodes, int rounds, int perRound) throws Exception {
        holdAll(nodes);
        Random random = new Random(12);
        List<Long> steady = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<Integer> all = new ArrayList<>();
            for (int i = 1; i <= nodes; i++) {
                all.add(i);
            }
            Collections.shuffle(all, random);
            steady.addAll(place(all.subList(0, Math.min(perRound, nodes)).stream().map(OrderBench::node).toList()));
            Thread.sleep(200);
        }
        List<String> everyNode = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            everyNode.add(node(i));
        }
        List<Long> burst = place(everyNode);
        boolean ok = report("steady (" + rounds + " x " + perRound + " orders)", nodes, steady, true);
        report("burst (" + nodes + " orders at once, no target)", nodes, burst, false);
        System.out.printf(Locale.ROOT, "errors %d, answers %d%n", errors.get(), answered.get());
        return ok && errors.get() == 0;
    }

    /** Places one order per node; the milliseconds from the placing request to each order's arrival (-1: none in 10 s). */
    private List<Long> place(List<String> nodes) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(control.resolve("/place"))
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", nodes))).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> ids = r.body().lines().map(l -> l.split(" ")[1]).toList();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !ids.stream().allMatch(arrived::containsKey)) {
            Thread.sleep(5);
        }
        return ids.stream().map(id -> arrived.containsKey(id)
                ? TimeUnit.NANOSECONDS.toMicros(arrived.get(id) - t0) : -1L).toList();
    }

    private static boolean report(String what, int nodes, List<Long> micros, boolean target) {
        long missing = micros.stream().filter(m -> m < 0).count();
        List<Long> sorted = micros.stream().filter(m -> m >= 0).sorted().toList();
        double p50 = pct(sorted, 0.50) / 1000.0;
        double p99 = pct(sorted, 0.99) / 1000.0;
        double max = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1000.0;
        boolean ok = missing == 0 && p99 <= 1000;
        System.out.printf(Locale.ROOT, "RESULT orders nodes=%d %s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms "
                + "missing=%d%s%n", nodes, what, micros.size(), p50, p99, max, missing,
                target ? " target p99<=1000 ms " + (ok ? "PASS" : "MISS") : "");
        return ok;
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    boolean idle(int nodes) throws Exception {
        Map<String, Long> before = stats(true);
        holdAll(nodes);
        Thread.sleep(2000);
        Map<String, Long> after = stats(true);
        double perConn = (after.get("heapUsed") - before.get("heapUsed")) / (double) nodes;
        long threads = after.get("threads") - before.get("threads");
        boolean ok = perConn <= 20 * 1024 && threads < nodes / 100;
        System.out.printf(Locale.ROOT, "RESULT orders idle nodes=%d: held=%d heap after GC %.1f MB -> %.1f MB "
                        + "(%.0f bytes per connection, target <= 20480), threads %d -> %d %s; errors %d%n", nodes,
                after.get("waiters"), before.get("heapUsed") / 1e6, after.get("heapUsed") / 1e6, perConn,
                before.get("threads"), after.get("threads"), ok ? "PASS" : "MISS", errors.get());
        return ok;
    }

    private Map<String, Long> stats(boolean gc) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(control.resolve("/stats" + (gc ? "?gc=true" : ""))).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Long> out = new java.util.HashMap<>();
        Matcher m = STAT.matcher(body);
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }
}
