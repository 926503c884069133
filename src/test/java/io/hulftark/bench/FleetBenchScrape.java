package io.hulftark.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;

/**
 * Prometheus in the fleet benchmark: scrapes the fleet view's /q/metrics (management interface) every
 * {@code --metrics-every} seconds as Prometheus asks for it (its Accept header, gzip accepted), timing each from
 * when it was due, and keeps the body's size as sent and unpacked. Targets of issue 14: p99 ≤ 200 ms and a body
 * of at most 2 MB at 5,000 clusters.
 */
final class FleetBenchScrape {

    static final long TARGET_MS = 200;
    static final long TARGET_BYTES = 2_000_000;
    /** What Prometheus 2.x sends. */
    static final String ACCEPT = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
            + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    final FleetBench.Latencies latencies = new FleetBench.Latencies("GET /q/metrics (Prometheus)", TARGET_MS);
    private final URI url;
    private final long periodNanos;
    private final AtomicLong maxBytes = new AtomicLong();
    private final AtomicLong maxWireBytes = new AtomicLong();
    private final AtomicLong clusterSeries = new AtomicLong();
    /** The fleet view's own time to read the snapshot (hulftark_fleet_snapshot_duration_seconds), µs. */
    private final FleetBench.Latencies snapshot = new FleetBench.Latencies("  of which the store snapshot", TARGET_MS);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    FleetBenchScrape(URI url, double everySeconds) {
        this.url = url;
        this.periodNanos = (long) (everySeconds * 1e9);
    }

    /** Scrapes on its own thread from {@code start} until the process ends; counts those due in the window. */
    void start(long start, LongSupplier measureFrom, LongSupplier measureTo) {
        Thread t = new Thread(() -> {
            for (long n = 0; ; n++) {
                long due = start + n * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                latencies.due(due, measureFrom.getAsLong(), measureTo.getAsLong());
                boolean ok = scrape();
                long now = System.nanoTime();
                latencies.done.incrementAndGet();
                latencies.recent((now - due) / 1000);
                if (due >= measureFrom.getAsLong() && due < measureTo.getAsLong()) {
                    latencies.add((now - due) / 1000, ok);
                    if (ok && lastSnapshotMicros >= 0) {
                        snapshot.add(lastSnapshotMicros, true);
                    }
                }
            }
        }, "scrape");
        t.setDaemon(true);
        t.start();
    }

    private long lastSnapshotMicros = -1;

    private boolean scrape() {
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Accept", ACCEPT).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                latencies.note("status " + r.statusCode());
                return false;
            }
            byte[] body = r.body();
            maxWireBytes.accumulateAndGet(body.length, Math::max);
            if (r.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip")) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            maxBytes.accumulateAndGet(body.length, Math::max);
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            clusterSeries.set(text.lines().filter(l -> l.startsWith("hulftark_fleet_cluster_state{")).count());
            lastSnapshotMicros = text.lines().filter(l -> l.startsWith("hulftark_fleet_snapshot_duration_seconds "))
                    .mapToLong(l -> (long) (Double.parseDouble(l.substring(l.indexOf(' ') + 1)) * 1e6))
                    .findFirst().orElse(-1);
            if (!text.contains("hulftark_fleet_snapshot_success 1")) {
                latencies.note("the scrape has no clusters' series (hulftark_fleet_snapshot_success is not 1)");
                return false;
            }
            return true;
        } catch (IOException e) {
            latencies.note(e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Prints the latency line and the body's size; true when both meet their targets. */
    boolean print() {
        latencies.unanswered();
        boolean pass = latencies.print();
        if (snapshot.count() > 0) {
            snapshot.print(); // for the cause of a miss only
        }
        boolean small = maxBytes.get() > 0 && maxBytes.get() <= TARGET_BYTES;
        System.out.printf(Locale.ROOT, "/q/metrics body: at most %,d bytes (%,d sent%s), %d cluster state series, "
                        + "every %.1f s; target ≤ %,d bytes: %s%n", maxBytes.get(), maxWireBytes.get(),
                maxWireBytes.get() < maxBytes.get() ? ", gzip" : ", not compressed", clusterSeries.get(),
                periodNanos / 1e9, TARGET_BYTES, small ? "pass" : "FAIL");
        return pass && small;
    }

    long maxBytes() {
        return maxBytes.get();
    }
}
