package io.hulftark.agent.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.hulftark.agent.api.AgentApiTest.API;
import static io.hulftark.agent.api.AgentApiTest.ACTION_BOUND;
import static io.hulftark.agent.api.AgentApiTest.anonymous;
import static io.hulftark.agent.api.AgentApiTest.as;
import static io.hulftark.agent.api.AgentApiTest.await;
import static io.hulftark.agent.api.AgentApiTest.invalid;
import static io.hulftark.agent.api.AgentApiTest.operator;
import static io.hulftark.agent.api.AgentApiTest.problem;
import static io.hulftark.agent.api.AgentApiTest.viewer;
import static io.hulftark.agent.api.SimAgentResource.CLUSTER;
import static io.hulftark.agent.api.SimAgentResource.NODE;
import static io.hulftark.agent.api.SimAgentResource.REPORTER_TOKEN;
import static io.hulftark.agent.api.SimAgentResource.TAG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * POST /api/v1/orders on an agent that takes fleet actions: how a polling fleet view delivers an order, which runs
 * once however often it is delivered; a refused order answers its problem and is kept as REFUSED; only an operator
 * token delivers. The report says what the fleet view may ask of this agent, and carries each outcome.
 */
@QuarkusTest
@TestProfile(OrderApiTest.Profile.class)
class OrderApiTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SimAgentResource.class, Map.of("mode", "direct",
                    "fleet-actions", "true")));
        }
    }

    static final String ORDERS = API + "/orders";

    static String order(String id, String node, String tag, String action) {
        return "{\"id\": \"" + id + "\", \"cluster\": \"" + CLUSTER + "\", \"node\": \"" + node + "\", \"tag\": \""
                + tag + "\", \"action\": \"" + action + "\", \"reason\": \"patch night\", \"requestedBy\": \"alice\", "
                + "\"requestedAt\": \"" + Instant.now() + "\"}";
    }

    static Response deliver(io.restassured.specification.RequestSpecification who, String body) {
        return who.contentType("application/json").body(body).post(ORDERS);
    }

    static JsonPath action(String id) {
        return viewer().get(API + "/actions/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anOrderRunsOnceHoweverOftenItIsDelivered() throws Exception {
        String id = "ord-" + UUID.randomUUID();
        String body = order(id, NODE, TAG, "quickCheck");
        deliver(operator(), body).then().statusCode(202)
                .header("Location", endsWith("/api/v1/actions/" + id))
                .body("id", equalTo(id)).body("tag", equalTo(TAG)).body("action", equalTo("quickCheck"))
                .body("requestedBy", equalTo("fleet:alice")).body("reason", equalTo("patch night"));
        JsonPath ended = await("order " + id + " to end", () -> action(id), a -> a.getString("endedAt") != null,
                ACTION_BOUND);
        assertThat(ended.getString("state")).isIn("SUCCEEDED", "FAILED");

        // Delivered again (a retry of the fleet view): the record it has, nothing new.
        deliver(operator(), body).then().statusCode(200)
                .header("Location", endsWith("/api/v1/actions/" + id))
                .body("id", equalTo(id)).body("state", equalTo(ended.getString("state")))
                .body("endedAt", equalTo(ended.getString("endedAt")));
        long runs = viewer().get(API + "/resources/{tag}/actions?limit=1000", TAG).then().statusCode(200).extract()
                .jsonPath().getList("id", String.class).stream().filter(id::equals).count();
        assertThat(runs).isEqualTo(1);

        // The outcome travels in the report, by the order's id.
        JsonPath report = viewer().get(API + "/report?after=0").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> outcomes = report.getList("events.findAll { it.action != null && it.action.id == '"
                + id + "' }.action");
        assertThat(outcomes).extracting(o -> o.get("state")).contains("QUEUED", ended.getString("state"));
        assertThat(outcomes).allSatisfy(o -> assertThat(o.get("requestedBy")).isEqualTo("fleet:alice"));
    }

    @Test
    void theReportAndTheNodeSayWhatTheFleetViewMayAsk() {
        viewer().get(API + "/report?after=0").then().statusCode(200)
                .body("fleetActions", equalTo(true)).body("actionsVia", equalTo("direct"))
                .body("labels", equalTo(Map.of("site", "osaka", "env", "prod")));
        viewer().get(API + "/node").then().statusCode(200)
                .body("fleetActions", equalTo(true)).body("labels.site", equalTo("osaka"));
    }

    @Test
    void aRefusedOrderAnswersItsProblemAndIsKeptAsRefused() {
        String unknown = "ord-" + UUID.randomUUID();
        problem(deliver(operator(), order(unknown, NODE, "NOPE", "restore")), 404, "not-found");
        JsonPath kept = action(unknown);
        assertThat(kept.getString("state")).isEqualTo("REFUSED");
        assertThat(kept.getList("messages", String.class)).containsExactly("this agent manages no resource NOPE");
        // Remembered: delivered again, the refusal as kept.
        deliver(operator(), order(unknown, NODE, "NOPE", "restore")).then().statusCode(200)
                .body("state", equalTo("REFUSED"));

        String elsewhere = "ord-" + UUID.randomUUID();
        problem(deliver(operator(), order(elsewhere, "node-z", TAG, "restore")), 400, "bad-order")
                .body("detail", equalTo("this order is for node node-z, and this is node " + NODE));
        assertThat(action(elsewhere).getString("state")).isEqualTo("REFUSED");
    }

    @Test
    void whatIsNoOrderIsABadRequest() {
        problem(deliver(invalid(operator()), "{\"id\": \"x y\", \"cluster\": \"" + CLUSTER + "\", \"node\": \"" + NODE
                + "\", \"tag\": \"" + TAG + "\", \"action\": \"restore\", \"requestedBy\": \"a\", \"requestedAt\": \""
                + Instant.now() + "\"}"), 400, "bad-order")
                .body("detail", equalTo("id is not a name (1 to 64 of A-Z a-z 0-9 . _ @ -)"));
        problem(deliver(invalid(operator()), order("ord-" + UUID.randomUUID(), NODE, TAG, "deepCheck")), 400,
                "bad-order");
        problem(deliver(invalid(operator()), "{\"id\": "), 400, "malformed-json");
        deliver(invalid(operator()), "[]").then().statusCode(400).contentType(startsWith(AgentApiTest.PROBLEM));
    }

    @Test
    void onlyAnOperatorDelivers() {
        String id = "ord-" + UUID.randomUUID();
        problem(deliver(viewer(), order(id, NODE, TAG, "restore")), 403, "forbidden");
        problem(deliver(as(REPORTER_TOKEN), order(id, NODE, TAG, "restore")), 403, "forbidden");
        anonymous().contentType("application/json").body(order(id, NODE, TAG, "restore")).post(ORDERS).then()
                .statusCode(401);
        viewer().get(API + "/actions/{id}", id).then().statusCode(404);
    }
}
