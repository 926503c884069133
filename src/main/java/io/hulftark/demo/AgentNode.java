package io.hulftark.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** A node seen through its agent's REST API (operator token), for the demo's stand-in LifeKeeper. */
public final class AgentNode implements Node {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How an agent names who asked for an action the fleet view sent: "fleet:alice". */
    static final String FLEET = "fleet:";
    // Generous: on a busy laptop (or a CI machine) a young agent JVM may take many seconds to answer.
    private static final Duration REQUEST_BOUND = Duration.ofSeconds(30);

    private final String name;
    private final URI base;
    private final String token;
    private final String tag;
    private final Duration actionBound;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param actionBound how long to wait for an action to end (the kit bounds it itself; this is a backstop) */
    public AgentNode(String name, URI base, String token, String tag, Duration actionBound) {
        this.name = name;
        this.base = base;
        this.token = token;
        this.tag = tag;
        this.actionBound = actionBound;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Observation observe() {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/resources/" + tag)).GET());
            if (r.statusCode() != 200) {
                return new Observation(Observation.UNREACHABLE, "HTTP " + r.statusCode());
            }
            JsonNode v = JSON.readTree(r.body());
            return new Observation(v.path("status").asText("UNKNOWN"), v.path("reason").asText(""));
        } catch (IOException e) {
            return new Observation(Observation.UNREACHABLE, oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Observation(Observation.UNREACHABLE, "interrupted");
        }
    }

    @Override
    public void checkNow() {
        try {
            send(HttpRequest.newBuilder(uri("/api/v1/resources/" + tag + "/check"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
        } catch (IOException e) {
            // the scheduled check comes soon enough
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Outcome act(String action, String reason) {
        long t0 = System.nanoTime();
        try {
            String body = JSON.createObjectNode().put("action", action).put("reason", reason).toString();
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/resources/" + tag + "/actions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
            if (r.statusCode() != 202) {
                return new Outcome(false, "refused by the agent: HTTP " + r.statusCode() + " "
                        + JSON.readTree(r.body()).path("detail").asText(""));
            }
            String id = JSON.readTree(r.body()).path("id").asText();
            long until = t0 + actionBound.toNanos();
            while (System.nanoTime() < until) {
                Thread.sleep(200);
                HttpResponse<String> a = send(HttpRequest.newBuilder(uri("/api/v1/actions/" + id)).GET());
                JsonNode rec = JSON.readTree(a.body());
                if (rec.path("endedAt").isTextual()) {
                    boolean ok = "SUCCEEDED".equals(rec.path("state").asText());
                    String seconds = String.format(Locale.ROOT, "%.1f", rec.path("durationMillis").asLong() / 1000.0);
                    return new Outcome(ok, "exit " + rec.path("exitCode").asText("?") + " in " + seconds + " s"
                            + (ok ? "" : lastMessage(rec)));
                }
            }
            return new Outcome(false, "not ended after " + actionBound.toSeconds() + " s");
        } catch (IOException e) {
            return new Outcome(false, "the agent did not answer: " + oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted");
        }
    }

    @Override
    public boolean fleetActing(Instant now, Duration grace) {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/resources/" + tag + "/actions?limit=5")).GET());
            if (r.statusCode() != 200) {
                return false;
            }
            for (JsonNode a : JSON.readTree(r.body())) {
                if (!a.path("requestedBy").asText("").startsWith(FLEET)) {
                    continue;
                }
                JsonNode ended = a.path("endedAt");
                if (!ended.isTextual() || Instant.parse(ended.asText()).plus(grace).isAfter(now)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | DateTimeParseException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String lastMessage(JsonNode rec) {
        JsonNode m = rec.path("messages");
        return m.isArray() && !m.isEmpty() ? ": " + m.get(m.size() - 1).asText() : "";
    }

    private URI uri(String path) {
        return base.resolve(path);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.timeout(REQUEST_BOUND).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ');
    }
}
