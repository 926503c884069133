package io.hulftark.fleet.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hulftark.wire.Status;
import io.hulftark.wire.Report;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends reports to a fleet view over real HTTP as an agent would (POST /api/v1/fleet/reports with a reporter
 * token), one simulated agent process per node: each node keeps its start time and counts its seq.
 */
final class Reports {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Instant started = Instant.now();
    private final Map<String, AtomicLong> seqs = new ConcurrentHashMap<>();

    Reports(URI base) {
        this.base = base;
    }

    /** One HULFT resource on a node: RUNNING on the active node, STOPPED on a standby, FAILED on a broken one. */
    static Report.Resource hulft(Status status) {
        boolean up = status == Status.RUNNING;
        String role = status == Status.STOPPED ? "standby" : "active";
        String reason = switch (status) {
            case RUNNING -> "service runs, every port answers";
            case STOPPED -> "stopped, as a standby should be";
            case FAILED -> "port 30000 does not answer";
            case UNKNOWN -> "cannot tell";
        };
        Instant now = Instant.now();
        List<Report.Port> ports = status == Status.STOPPED ? List.of() : List.of(
                new Report.Port("rcvport", 30000, up, up ? 850 : 0, up ? null : "connection refused"),
                new Report.Port("obsport", 31000, true, 640, null));
        return new Report.Resource("HULFT", "HULFT8", status, role, now.minusSeconds(60), reason, now, ports);
    }

    /** Posts the node's full state; returns the HTTP status (202 when taken). */
    int send(String token, String cluster, String node, Status status) throws IOException, InterruptedException {
        return send(token, cluster, node, List.of(hulft(status)), List.of());
    }

    /** Posts the node's state with the given resources and history events. */
    int send(String token, String cluster, String node, List<Report.Resource> resources, List<Report.Event> events)
            throws IOException, InterruptedException {
        return send(token, cluster, node, resources, events, null, null);
    }

    /** Posts the node's state as an agent with these labels that does (or does not) allow fleet actions. */
    int send(String token, String cluster, String node, Status status, Map<String, String> labels, boolean fleetActions)
            throws IOException, InterruptedException {
        return send(token, cluster, node, List.of(hulft(status)), List.of(), labels, fleetActions);
    }

    private int send(String token, String cluster, String node, List<Report.Resource> resources, List<Report.Event> events,
                     Map<String, String> labels, Boolean fleetActions) throws IOException, InterruptedException {
        long seq = seqs.computeIfAbsent(cluster + "/" + node, k -> new AtomicLong()).incrementAndGet();
        Report report = new Report(cluster, node, "test", started, seq, Instant.now(), resources, events, 0, null,
                labels, fleetActions, fleetActions == null ? null : "direct");
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/fleet/reports"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(report)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new AssertionError("report of " + cluster + "/" + node + " refused: " + response.statusCode()
                    + " " + response.body());
        }
        return response.statusCode();
    }

    /** A two-node cluster as its agents see it: the active node's and the standby's status. */
    void cluster(String token, String cluster, Status a, Status b) throws IOException, InterruptedException {
        send(token, cluster, cluster + "-a", a);
        send(token, cluster, cluster + "-b", b);
    }

    /** A plain GET or POST of the API as the given token; for comparing what the page shows with what the API says. */
    HttpResponse<String> call(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
