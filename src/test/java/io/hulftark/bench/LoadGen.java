package io.hulftark.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A constant-rate HTTP GET load: {@code java -cp target/test-classes io.hulftark.bench.LoadGen URL TOKEN RATE SECONDS}.
 * Each request's latency counts from when it was due, not when it was sent, so a stalled server
 * cannot hide its stall (no coordinated omission). Loopback only; it stops by itself.
 */
public final class LoadGen {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        if (!uri.getHost().equals("127.0.0.1") && !uri.getHost().equals("localhost")) {
            throw new IllegalArgumentException("loopback only");
        }
        String token = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4))
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).GET().build();
        run(http, request, rate, 3, null);                              // warm-up
        ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        run(http, request, rate, seconds, (lat, ok) -> {
            micros.add(lat);
            if (!ok) {
                errors.incrementAndGet();
            }
        });
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("GET %s at %d req/s for %d s: %d requests, %d errors; p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n",
                uri.getPath(), rate, seconds, sorted.length, errors.get(), CheckBench.at(sorted, 0.5),
                CheckBench.at(sorted, 0.9), CheckBench.at(sorted, 0.99), sorted[sorted.length - 1] / 1000.0);
        System.exit(0);
    }

    interface Sink {
        void add(long micros, boolean ok);
    }

    private static void run(HttpClient http, HttpRequest request, int rate, int seconds, Sink sink) throws Exception {
        long start = System.nanoTime();
        long periodNanos = 1_000_000_000L / rate;
        int total = rate * seconds;
        CompletableFuture<?>[] all = new CompletableFuture<?>[total];
        for (int i = 0; i < total; i++) {
            long due = start + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            all[i] = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
                if (sink != null) {
                    sink.add((System.nanoTime() - due) / 1000, e == null && r.statusCode() == 200);
                }
                return null;
            });
        }
        CompletableFuture.allOf(all).get(60, TimeUnit.SECONDS);
        Arrays.fill(all, null);
    }
}
