package io.hulftark.agent.api;

import io.hulftark.http.ProblemMappers;

import io.hulftark.contract.Contract;
import io.hulftark.sim.SimSpec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static io.hulftark.agent.api.SimAgentResource.OPERATOR;
import static io.hulftark.agent.api.SimAgentResource.OPERATOR_TOKEN;
import static io.hulftark.agent.api.SimAgentResource.TAG;
import static io.hulftark.agent.api.SimAgentResource.VIEWER_TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Every endpoint of {@link AgentResource} over HTTP, against a simulated HULFT that the agent checks
 * every second and acts on in direct mode: what a standby looks like, a restore and a remove with
 * their history, and every error as a problem detail.
 */
@QuarkusTest
@TestProfile(AgentApiTest.Profile.class)
class AgentApiTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SimAgentResource.class, Map.of("mode", "direct")));
        }
    }

    static final String API = "/api/v1";
    static final String RESOURCE = API + "/resources/" + TAG;
    static final String PROBLEM = "application/problem+json";
    static final String TYPES = "https://hulft-ark.io/problems/";
    // An action of the simulation starts a JVM or two per command: generous, yet far below a hang.
    static final Duration ACTION_BOUND = Duration.ofSeconds(30);
    static final Duration CHECK_BOUND = Duration.ofSeconds(10);

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    static RequestSpecification viewer() {
        return as(VIEWER_TOKEN);
    }

    static RequestSpecification operator() {
        return as(OPERATOR_TOKEN);
    }

    /** A request that breaks the contract on purpose (no token, a bad value): only its answer is validated. */
    static RequestSpecification invalid(RequestSpecification request) {
        return request.filter(Contract.INVALID_REQUEST);
    }

    static RequestSpecification anonymous() {
        return invalid(given());
    }

    static ValidatableResponse problem(Response r, int status, String kind) {
        return r.then().statusCode(status)
                .contentType(startsWith(PROBLEM))
                .body("type", equalTo(TYPES + kind))
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("detail", allOf(notNullValue(), not(containsString("\n"))));
    }

    static Response act(RequestSpecification who, String tag, String body) {
        return who.contentType("application/json").body(body).post(API + "/resources/{tag}/actions", tag);
    }

    static String action(String action, String reason) {
        return "{\"action\": \"" + action + "\", \"reason\": \"" + reason + "\"}";
    }

    static JsonPath await(String what, Supplier<JsonPath> read, Predicate<JsonPath> until, Duration bound)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        JsonPath last = read.get();
        while (!until.test(last)) {
            assertThat(System.nanoTime()).as(what + ", still " + last.prettify()).isLessThan(deadline);
            Thread.sleep(100);
            last = read.get();
        }
        return last;
    }

    static JsonPath resource() {
        return viewer().get(RESOURCE).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath awaitStatus(String status) throws InterruptedException {
        return await("status " + status, AgentApiTest::resource, r -> status.equals(r.getString("status")), CHECK_BOUND);
    }

    static JsonPath awaitEnd(String id) throws InterruptedException {
        return await("action " + id + " to end",
                () -> viewer().get(API + "/actions/{id}", id).then().statusCode(200).extract().jsonPath(),
                a -> a.getString("endedAt") != null, ACTION_BOUND);
    }

    // ---- reads -------------------------------------------------------------------------------

    @Test
    void theNodeSaysWhoItIs() {
        viewer().get(API + "/node").then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("node", not(equalTo("")))
                .body("node", notNullValue())
                .body("cluster", equalTo(SimAgentResource.CLUSTER))
                .body("platform", equalTo("command"))
                .body("actionMode", equalTo("direct"))
                .body("tags", equalTo(List.of(TAG)))
                .body("version", notNullValue())
                .body("startedAt", notNullValue());
    }

    @Test
    void aStandbyIsStoppedSinceItsFirstCheck() throws InterruptedException {
        JsonPath r = awaitStatus("STOPPED");
        assertThat(r.getString("tag")).isEqualTo(TAG);
        assertThat(r.getString("service")).isEqualTo(SimSpec.DEFAULT_SERVICE_NAME);
        assertThat(r.getString("role")).isEqualTo("standby");
        assertThat(r.getString("reason")).contains("standby");
        Instant since = Instant.parse(r.getString("since"));
        Instant lastCheck = Instant.parse(r.getString("lastCheck.at"));
        assertThat(lastCheck).isAfterOrEqualTo(since);
        assertThat(r.getString("lastCheck.observed")).isEqualTo("STOPPED");
        assertThat(r.getString("lastCheck.serviceState")).isEqualTo("STOPPED");
        assertThat(r.getList("lastCheck.ports")).isEmpty(); // a stopped service's ports are not probed

        viewer().get(API + "/resources").then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].tag", equalTo(TAG))
                .body("[0].service", equalTo(SimSpec.DEFAULT_SERVICE_NAME))
                .body("[0].status", equalTo("STOPPED"))
                .body("[0].lastCheck.at", notNullValue());
    }

    @Test
    void aViewerChecksNowAndGetsTheResult() throws InterruptedException {
        awaitStatus("STOPPED");
        Instant before = Instant.now();
        JsonPath check = viewer().post(RESOURCE + "/check").then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("tag", equalTo(TAG))
                .body("service", equalTo(SimSpec.DEFAULT_SERVICE_NAME))
                .body("observed", equalTo("STOPPED"))
                .body("role", equalTo("standby"))
                .body("durationMicros", greaterThan(0))
                .extract().jsonPath();
        assertThat(Instant.parse(check.getString("at"))).isAfterOrEqualTo(before.minusMillis(1));
    }

    @Test
    void checksAreNewestFirstAndLimited() {
        Instant newest = null;
        for (int i = 0; i < 3; i++) {
            newest = Instant.parse(viewer().post(RESOURCE + "/check").then().statusCode(200).extract().path("at"));
        }
        List<String> at = viewer().queryParam("limit", 2).get(RESOURCE + "/checks").then().statusCode(200)
                .body("", hasSize(2))
                .body("tag", everyItem(equalTo(TAG)))
                .extract().path("at");
        Instant first = Instant.parse(at.get(0));
        assertThat(first).isAfterOrEqualTo(newest).isAfter(Instant.parse(at.get(1)));
        viewer().get(RESOURCE + "/checks").then().statusCode(200)
                .body("size()", allOf(greaterThan(2), lessThanOrEqualTo(20))); // default limit 20
    }

    // ---- a restore and a remove, with their history -----------------------------------------------

    @Test
    void anOperatorRestoresThenRemovesAndTheHistoryTellsIt() throws InterruptedException {
        awaitStatus("STOPPED");
        long seqBefore = lastSeq();

        Response accepted = act(operator(), TAG, action("restore", "test"));
        JsonPath queued = accepted.then().statusCode(202)
                .body("tag", equalTo(TAG))
                .body("action", equalTo("restore"))
                .body("reason", equalTo("test"))
                .body("state", equalTo("QUEUED"))
                .body("mode", equalTo("direct"))
                .body("requestedBy", equalTo(OPERATOR))
                .body("requestedAt", notNullValue())
                .extract().jsonPath();
        String id = queued.getString("id");
        assertThat(id).isNotBlank();
        assertThat(accepted.header("Location")).endsWith(API + "/actions/" + id);
        assertThat(URI.create(accepted.header("Location")).isAbsolute()).isTrue();

        JsonPath restored = awaitEnd(id);
        assertThat(restored.getString("state")).as(restored.prettify()).isEqualTo("SUCCEEDED");
        assertThat(restored.getInt("exitCode")).isZero();
        assertThat(restored.getLong("durationMillis")).isNotNegative();
        assertThat(restored.getString("startedAt")).isNotNull();
        assertThat(restored.getString("requestedBy")).isEqualTo(OPERATOR);
        assertThat(restored.getList("messages")).isNotNull(); // a restore that goes well says nothing, like the ARK

        // A scheduled check between the restore's end and the agent taking the node as active sees RUNNING on a
        // standby for one period: wait for the check after it.
        JsonPath running = await("RUNNING and active", AgentApiTest::resource,
                r -> "RUNNING".equals(r.getString("status")) && "active".equals(r.getString("role")), CHECK_BOUND);
        assertThat(running.getList("lastCheck.ports.key")).containsExactlyElementsOf(SimSpec.PORT_KEYS);
        assertThat(running.getList("lastCheck.ports.ok", Boolean.class)).containsOnly(true);
        assertThat(running.getList("lastCheck.ports.latencyMicros", Long.class)).allSatisfy(l -> assertThat(l).isPositive());

        viewer().queryParam("limit", 5).get(RESOURCE + "/actions").then().statusCode(200)
                .body("size()", lessThanOrEqualTo(5))
                .body("[0].id", equalTo(id))
                .body("[0].state", equalTo("SUCCEEDED"));

        List<Map<String, Object>> events = viewer().queryParam("since", seqBefore).get(API + "/events")
                .then().statusCode(200).extract().path("");
        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(((Number) e.get("seq")).longValue()).isGreaterThan(seqBefore));
        // A scheduled check during the start may have seen it half up: the way to RUNNING need not be direct.
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("type")).isEqualTo("transition");
            assertThat(e).extractingByKey("transition").asInstanceOf(MAP)
                    .containsEntry("tag", TAG).containsEntry("to", "RUNNING");
        });
        assertThat(events).filteredOn(e -> "action".equals(e.get("type")))
                .extracting(e -> ((Map<?, ?>) e.get("action")).get("id") + " " + ((Map<?, ?>) e.get("action")).get("state"))
                .contains(id + " QUEUED", id + " RUNNING", id + " SUCCEEDED");
        viewer().queryParam("since", "0").get(API + "/events").then().statusCode(200)
                .body("type", hasItems("transition", "action"))
                .body("action.id", hasItem(id));
        viewer().queryParam("since", Instant.now().plusSeconds(3600).toString()).get(API + "/events")
                .then().statusCode(200).body("", empty());

        String removeId = act(operator(), TAG, action("remove", "test")).then().statusCode(202)
                .body("action", equalTo("remove")).extract().path("id");
        JsonPath removed = awaitEnd(removeId);
        assertThat(removed.getString("state")).as(removed.prettify()).isEqualTo("SUCCEEDED");
        assertThat(awaitStatus("STOPPED").getString("role")).isEqualTo("standby");
        viewer().queryParam("limit", 1).get(RESOURCE + "/actions").then().statusCode(200)
                .body("", hasSize(1)).body("[0].id", equalTo(removeId));
    }

    @Test
    void eventsSinceAnInstantAreTheLaterOnes() throws InterruptedException {
        awaitStatus("STOPPED"); // at least one transition is on record
        List<String> all = viewer().queryParam("since", "0").queryParam("limit", 1000).get(API + "/events")
                .then().statusCode(200).body("", not(empty())).extract().path("at");
        Instant firstAt = Instant.parse(all.get(0));
        List<String> later = viewer().queryParam("since", firstAt.toString()).queryParam("limit", 1000)
                .get(API + "/events").then().statusCode(200).extract().path("at");
        assertThat(later).allSatisfy(at -> assertThat(Instant.parse(at)).isAfter(firstAt));
    }

    @Test
    void aReasonOfExactlyTheLimitIsAccepted() throws InterruptedException {
        String id = act(operator(), TAG, action("quickCheck", "r".repeat(AgentResource.MAX_REASON)))
                .then().statusCode(202).body("mode", equalTo("direct")).extract().path("id");
        assertThat(awaitEnd(id).getString("reason")).hasSize(AgentResource.MAX_REASON);
    }

    static long lastSeq() {
        List<Integer> seqs = viewer().queryParam("since", "0").queryParam("limit", 1000).get(API + "/events")
                .then().statusCode(200).extract().path("seq");
        return seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
    }

    // ---- credentials ------------------------------------------------------------------------

    @Test
    void withoutATokenEveryEndpointIs401() {
        for (Response r : List.of(anonymous().get(API + "/node"), anonymous().get(API + "/resources"), anonymous().get(RESOURCE),
                anonymous().get(RESOURCE + "/checks"), anonymous().get(RESOURCE + "/actions"), anonymous().get(API + "/events"),
                anonymous().post(RESOURCE + "/check"), anonymous().get(API + "/actions/x"),
                act(anonymous(), TAG, action("restore", "no token")))) {
            problem(r, 401, "unauthorized").header("WWW-Authenticate", startsWith("Bearer"));
        }
    }

    @Test
    void aWrongTokenIs401AndActsOnNothing() {
        String wrong = OPERATOR_TOKEN + "-not";
        String body = problem(act(as(wrong), TAG, action("restore", "wrong token")), 401, "unauthorized")
                .body("detail", containsString("unknown token"))
                .extract().asString();
        assertThat(body).doesNotContain(wrong);
        problem(as(wrong).get(RESOURCE), 401, "unauthorized");
        viewer().queryParam("limit", 1000).get(RESOURCE + "/actions").then().statusCode(200)
                .body("reason", not(hasItem("wrong token")));
    }

    @Test
    void aViewerCannotAct() {
        problem(act(viewer(), TAG, action("restore", "viewer")), 403, "forbidden")
                .body("detail", containsString("operator"))
                .body("instance", equalTo(RESOURCE + "/actions"));
        viewer().queryParam("limit", 1000).get(RESOURCE + "/actions").then().statusCode(200)
                .body("requestedBy", not(hasItem(SimAgentResource.VIEWER)));
    }

    // ---- bad requests -----------------------------------------------------------------------

    @Test
    void malformedJsonIs400() {
        problem(act(invalid(operator()), TAG, "{\"action\": "), 400, "malformed-json");
        problem(act(invalid(operator()), TAG, "[\"restore\"]"), 400, "malformed-json");
    }

    @Test
    void aBodyWithoutAnActionIs400() {
        problem(act(invalid(operator()), TAG, "{\"reason\": \"test\"}"), 400, "bad-request")
                .body("detail", containsString("\"action\""));
        problem(invalid(operator()).contentType("application/json").post(RESOURCE + "/actions"), 400, "bad-request");
    }

    @Test
    void anUnknownActionIs400() {
        problem(act(invalid(operator()), TAG, action("reboot", "test")), 400, "unknown-action")
                .body("title", equalTo("Unknown action"))
                .body("detail", allOf(containsString("'reboot'"), containsString("quickCheck")));
        // deepCheck is the kit's, not the API's: a probe that LifeKeeper runs itself.
        problem(act(invalid(operator()), TAG, action("deepCheck", "test")), 400, "unknown-action")
                .body("detail", containsString("'deepCheck'"));
    }

    @Test
    void aReasonOverTheLimitOrOfSeveralLinesIs400() {
        problem(act(invalid(operator()), TAG, action("quickCheck", "r".repeat(AgentResource.MAX_REASON + 1))), 400, "bad-request")
                .body("detail", containsString(Integer.toString(AgentResource.MAX_REASON)));
        problem(act(invalid(operator()), TAG, action("quickCheck", "one\\ntwo")), 400, "bad-request");
        // Issue 11: a C1 control once went into a report and made the fleet view refuse every report after it.
        problem(act(invalid(operator()), TAG, action("quickCheck", "next\u0085line")), 400, "bad-request")
                .body("detail", equalTo("reason holds a control character U+0085 at character 4"));
        problem(act(invalid(operator()), TAG, action("quickCheck", "del\u007F")), 400, "bad-request");
    }

    @Test
    void anOversizedBodyIs413() {
        String big = action("restore", "x".repeat(20 * 1024));
        problem(invalid(operator()).contentType("application/json").body(big).post(RESOURCE + "/actions"), 413, "too-large")
                .body("detail", containsString(Long.toString(ProblemMappers.MAX_BODY_BYTES)));
    }

    @Test
    void aLimitOutOfRangeIs400() {
        for (String path : List.of(RESOURCE + "/checks", RESOURCE + "/actions", API + "/events")) {
            for (int limit : new int[] {0, -1, AgentResource.MAX_LIMIT + 1}) {
                problem(invalid(viewer()).queryParam("limit", limit).get(path), 400, "bad-request")
                        .body("detail", containsString("limit"));
            }
            viewer().queryParam("limit", 1).get(path).then().statusCode(200).body("size()", lessThanOrEqualTo(1));
            viewer().queryParam("limit", AgentResource.MAX_LIMIT).get(path).then().statusCode(200);
        }
    }

    @Test
    void aSinceThatIsNeitherSeqNorInstantIs400() {
        problem(invalid(viewer()).queryParam("since", "yesterday").get(API + "/events"), 400, "bad-request")
                .body("detail", containsString("'yesterday'"));
        problem(invalid(viewer()).queryParam("since", "9".repeat(30)).get(API + "/events"), 400, "bad-request");
    }

    // ---- unknown things ---------------------------------------------------------------------

    @Test
    void anUnknownTagIs404OnEveryTagEndpoint() {
        String tag = "no-such-tag";
        for (Response r : List.of(viewer().get(API + "/resources/{tag}", tag),
                viewer().get(API + "/resources/{tag}/checks", tag),
                viewer().get(API + "/resources/{tag}/actions", tag),
                viewer().post(API + "/resources/{tag}/check", tag),
                act(operator(), tag, action("restore", "test")))) {
            problem(r, 404, "not-found").body("detail", containsString("no resource " + tag));
        }
    }

    @Test
    void anUnknownActionIdIs404() {
        problem(viewer().get(API + "/actions/{id}", "00000000-0000-0000-0000-000000000000"), 404, "not-found")
                .body("detail", containsString("00000000-0000-0000-0000-000000000000"));
    }

    @Test
    void aTagWithShellCharactersIsJustAnUnknownTag() {
        // It reaches no shell (an unknown tag goes nowhere). The detail quotes at most 64 characters of it;
        // instance is the request's path, percent-encoded as RFC 9457 wants a URI reference, cut at 200.
        String tag = "$(touch hulftark-pwned);`id`|&<>*'\"~ " + "x".repeat(200);
        String path = API + "/resources/" + tag;
        for (Response r : List.of(viewer().get(API + "/resources/{tag}", tag),
                viewer().get(API + "/resources/{tag}/checks", tag),
                viewer().get(API + "/resources/{tag}/actions", tag),
                viewer().post(API + "/resources/{tag}/check", tag),
                act(operator(), tag, action("restore", "test")))) {
            problem(r, 404, "not-found").body("detail", endsWith(" " + tag.substring(0, 64) + "..."));
            assertInstanceIsAShortUri(r.path("instance"), path, tag);
            for (String member : List.of("type", "title", "detail")) {
                assertThat(r.<String>path(member)).doesNotContain(tag.substring(0, 65));
            }
        }
        // The same from the filters that answer before any resource is matched.
        assertInstanceIsAShortUri(anonymous().get(API + "/resources/{tag}", tag).path("instance"), path, tag);
        assertInstanceIsAShortUri(invalid(operator()).contentType("application/json").body(action("restore", "x".repeat(20 * 1024)))
                .post(API + "/resources/{tag}/actions", tag).then().statusCode(413).extract().path("instance"), path, tag);
    }

    static void assertInstanceIsAShortUri(String instance, String path, String tag) {
        assertThat(instance).hasSizeLessThanOrEqualTo(200).doesNotContain(tag.substring(0, 65));
        // throws unless a URI reference; decoded, it is the start of the path asked for
        assertThat(URI.create(instance).getPath()).startsWith(path.substring(0, 64)).endsWith("...");
    }
}
