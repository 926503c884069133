package io.hulftark.fleet.actions.batch;

import io.hulftark.contract.Contract;
import io.hulftark.fleet.FleetService;
import io.hulftark.fleet.api.FleetProfile;
import io.hulftark.wire.Report;
import io.hulftark.wire.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/** The batches' REST API over real HTTP, on the embedded store, with scripted fleet actions. */
@QuarkusTest
@TestProfile(BatchProfile.class)
class BatchApiTest {

    static final String API = "/api/v1/fleet/batches";

    @Inject
    FleetService fleet;

    @Inject
    ScriptedFleetActions actions;

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    static RequestSpecification invalid(String token) {
        return as(token).filter(Contract.INVALID_REQUEST);
    }

    /** Six OK clusters osaka-1..3 and kyoto-1..3, each one node serving. */
    @BeforeEach
    void clusters() {
        for (String site : List.of("osaka", "kyoto")) {
            for (int i = 1; i <= 3; i++) {
                fleet.accept(report(site + "-" + i, "n1", Status.RUNNING));
                fleet.accept(report(site + "-" + i, "n2", Status.STOPPED));
            }
        }
    }

    static Report report(String cluster, String node, Status status) {
        Instant now = Instant.now();
        return new Report(cluster, node, "test", now.minusSeconds(60), System.nanoTime(), now,
                List.of(new Report.Resource("HULFT", "HULFT8", status, status == Status.RUNNING ? "active" : "standby",
                        now, status.name(), now, List.of())), List.of(), 0);
    }

    static Map<String, Object> body(String action, Map<String, Object> selection, int concurrency, boolean stop) {
        return Map.of("action", action, "reason", "patch night", "selection", selection, "concurrency", concurrency,
                "stopOnFailure", stop, "pauseSeconds", 0);
    }

    Response create(Map<String, Object> body) {
        return as(FleetProfile.OPERATOR).contentType(ContentType.JSON).body(body).post(API);
    }

    Map<String, Object> waitFor(String id, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Map<String, Object> b = as(FleetProfile.VIEWER).get(API + "/" + id).then().statusCode(200).extract()
                    .jsonPath().getMap("");
            if (state.equals(b.get("state")) && b.get("endedAt") != null || System.nanoTime() > deadline) {
                assertThat(b.get("state")).isEqualTo(state);
                return b;
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aBatchIsAcceptedWithItsLocationAndRunsToItsEnd() throws Exception {
        for (int i = 1; i <= 3; i++) {
            actions.endsAtOnce("osaka-" + i, "SUCCEEDED");
        }
        Response r = create(body("quickCheck", Map.of("q", "osaka"), 2, true));
        r.then().statusCode(202).body("state", equalTo("RUNNING")).body("total", equalTo(3))
                .body("pending", equalTo(3)).body("requestedBy", equalTo("otto")).body("reason", equalTo("patch night"))
                .body("clusters.cluster", equalTo(List.of("osaka-1", "osaka-2", "osaka-3")))
                .body("selection.q", equalTo("osaka"));
        String id = r.jsonPath().getString("id");
        assertThat(r.header("Location")).endsWith("/api/v1/fleet/batches/" + id);

        Map<String, Object> done = waitFor(id, "SUCCEEDED");
        assertThat(done.get("succeeded")).isEqualTo(3);
        as(FleetProfile.VIEWER).get(API).then().statusCode(200).body("id", hasItem(id));
        as(FleetProfile.VIEWER).queryParam("state", "SUCCEEDED").queryParam("limit", "500").get(API).then()
                .statusCode(200).body("find { it.id == '" + id + "' }.succeeded", equalTo(3));
        assertThat(actions.latest("osaka-1").orElseThrow().batch()).isEqualTo(id);
    }

    @Test
    void sixClustersTwoAtATimeStopAtTheFailure() throws Exception {
        // kyoto-* and osaka-*: names first, in the order given, then nothing else (no query).
        List<String> names = List.of("kyoto-1", "kyoto-2", "kyoto-3", "osaka-1", "osaka-2", "osaka-3");
        names.forEach(n -> actions.endsAtOnce(n, n.equals("kyoto-3") ? "FAILED" : "SUCCEEDED"));
        int before = actions.started().size();
        String id = create(body("switchover", Map.of("clusters", names), 2, true)).then().statusCode(202)
                .extract().jsonPath().getString("id");
        Map<String, Object> b = waitFor(id, "STOPPED");
        // Rounds a second apart: kyoto-1 and 2; then kyoto-3 (fails) and osaka-1; then the failure stops the rest.
        assertThat(actions.started().subList(before, actions.started().size()))
                .containsExactly("kyoto-1", "kyoto-2", "kyoto-3", "osaka-1");
        assertThat(b.get("succeeded")).isEqualTo(3);
        assertThat(b.get("failed")).isEqualTo(1);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> clusters = (List<Map<String, Object>>) b.get("clusters");
        assertThat(clusters).extracting(c -> c.get("state")).containsExactly("SUCCEEDED", "SUCCEEDED", "FAILED",
                "SUCCEEDED", "SKIPPED", "SKIPPED");
    }

    @Test
    void pauseResumeAndCancelAnswerTheBatchOr409() throws Exception {
        String id = create(body("recover", Map.of("clusters", List.of("kyoto-1", "kyoto-2", "kyoto-3")), 1, false))
                .then().statusCode(202).extract().jsonPath().getString("id");
        as(FleetProfile.OPERATOR).post(API + "/" + id + "/pause").then().statusCode(200)
                .body("state", equalTo("PAUSED"));
        as(FleetProfile.OPERATOR).post(API + "/" + id + "/pause").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("batch " + id + " is PAUSED: it cannot be paused"));
        as(FleetProfile.OPERATOR).post(API + "/" + id + "/resume").then().statusCode(200)
                .body("state", equalTo("RUNNING"));
        as(FleetProfile.OPERATOR).post(API + "/" + id + "/resume").then().statusCode(409);
        as(FleetProfile.OPERATOR).post(API + "/" + id + "/cancel").then().statusCode(200)
                .body("state", equalTo("CANCELLED"));
        as(FleetProfile.OPERATOR).post(API + "/" + id + "/cancel").then().statusCode(409)
                .body("detail", equalTo("batch " + id + " is CANCELLED: it cannot be cancelled"));
        // Whatever had started finishes; the rest never starts.
        actions.runningClusters().forEach(c -> actions.finish(c, "SUCCEEDED"));
        Map<String, Object> b = waitFor(id, "CANCELLED");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> clusters = (List<Map<String, Object>>) b.get("clusters");
        assertThat(clusters).extracting(c -> c.get("state")).contains("CANCELLED");
        assertThat(clusters).filteredOn(c -> "CANCELLED".equals(c.get("state")))
                .allSatisfy(c -> assertThat(c.get("detail")).isEqualTo("not started: the batch was cancelled by otto"));
        as(FleetProfile.OPERATOR).post(API + "/batch-nope/pause").then().statusCode(404);
        as(FleetProfile.VIEWER).get(API + "/batch-nope").then().statusCode(404)
                .body("detail", equalTo("no batch batch-nope"));
    }

    @Test
    void badBodiesAre400WithOneLine() {
        Map<String, Object> ok = body("quickCheck", Map.of(), 2, false);
        bad(with(ok, "action", "reboot"), "action must be one of switchover, quickCheck, restore, remove, recover");
        bad(with(ok, "concurrency", 0), "concurrency must be from 1 to 50, not 0");
        bad(with(ok, "concurrency", 51), "concurrency must be from 1 to 50, not 51");
        bad(with(ok, "pauseSeconds", 3601), "pauseSeconds must be from 0 to 3600, not 3601");
        bad(with(ok, "pauseSeconds", -1), "pauseSeconds must be from 0 to 3600, not -1");
        bad(with(ok, "reason", "x".repeat(501)), "reason is too long: at most 500 characters");
        bad(with(ok, "reason", "two\nlines"), "reason holds a control character U+000A at character 3");
        bad(with(ok, "selection", Map.of("state", "SPLIT")), "the selection matches no cluster");
        bad(with(ok, "selection", Map.of("state", "BROKEN")),
                "selection.state must be one of OK, DEGRADED, DOWN, SPLIT, STALE, MAINTENANCE");
        bad(with(ok, "selection", Map.of("clusters", List.of("nowhere"))),
                "selection.clusters: cluster 'nowhere' has not reported to this fleet view");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add("c" + i);
        }
        bad(with(ok, "selection", Map.of("clusters", many)), "selection.clusters holds 1001 names: at most 1000");
        bad(with(ok, "selection", Map.of("labels", Map.of("Site", "osaka"))),
                "selection.labels: a key is not a label key ([a-z][a-z0-9_]{0,62})");
        Map<String, Object> noSelection = new java.util.HashMap<>(ok);
        noSelection.remove("selection");
        bad(noSelection, "selection is missing (an empty object {} selects every cluster)");
        invalid(FleetProfile.OPERATOR).contentType(ContentType.JSON).body("{\"action\": ").post(API).then()
                .statusCode(400).contentType("application/problem+json");
        invalid(FleetProfile.OPERATOR).contentType(ContentType.JSON).body("{\"action\":\"quickCheck\",\"concurrency\":\"two\","
                + "\"selection\":{}}").post(API).then().statusCode(400);
        invalid(FleetProfile.VIEWER).queryParam("limit", "0").get(API).then().statusCode(400)
                .body("detail", startsWith("limit must be a whole number from 1 to 500"));
        invalid(FleetProfile.VIEWER).queryParam("state", "DONE").get(API).then().statusCode(400)
                .body("detail", containsString("state must be one of"));
    }

    @Test
    void viewersAndReportersMayNotActAndReportersMayNotRead() {
        Map<String, Object> ok = body("quickCheck", Map.of(), 2, false);
        as(FleetProfile.VIEWER).contentType(ContentType.JSON).body(ok).post(API).then().statusCode(403);
        as(FleetProfile.ALPHA).contentType(ContentType.JSON).body(ok).post(API).then().statusCode(403);
        as(FleetProfile.ALPHA).get(API).then().statusCode(403);
        as(FleetProfile.ALPHA).get(API + "/batch-x").then().statusCode(403);
        for (String verb : List.of("pause", "resume", "cancel")) {
            as(FleetProfile.VIEWER).post(API + "/batch-x/" + verb).then().statusCode(403);
            as(FleetProfile.ALPHA).post(API + "/batch-x/" + verb).then().statusCode(403);
        }
        invalid("hak_nobody").get(API).then().statusCode(401);
        assertThat(actions.started()).doesNotContain("alpha");
    }

    void bad(Map<String, Object> body, String detail) {
        invalid(FleetProfile.OPERATOR).contentType(ContentType.JSON).body(body).post(API).then().statusCode(400)
                .contentType("application/problem+json").body("detail", equalTo(detail));
    }

    static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
        Map<String, Object> out = new java.util.HashMap<>(m);
        out.put(key, value);
        return out;
    }
}
