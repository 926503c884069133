package io.hulftark.fleet.api;

import io.hulftark.wire.Status;
import io.hulftark.wire.Report;
import io.hulftark.contract.Contract;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** The fleet view's REST API over real HTTP, on the embedded store. */
@QuarkusTest
@TestProfile(FleetProfile.class)
class FleetApiTest {

    static final String API = "/api/v1/fleet";

    @TestHTTPResource("/")
    URI base;

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** A request that breaks the contract on purpose: only its answer is validated (see {@link Contract}). */
    static RequestSpecification invalid(String token) {
        return as(token).filter(Contract.INVALID_REQUEST);
    }

    /** A report of node {@code node} of cluster alpha-like clusters: one resource HULFT with {@code status}. */
    static Report report(String cluster, String node, Instant startedAt, long seq, Status status, Instant sentAt,
                         List<Report.Event> events) {
        return new Report(cluster, node, "test", startedAt, seq, sentAt,
                List.of(new Report.Resource("HULFT", "HULFT8", status,
                        status == Status.RUNNING ? "active" : "standby", sentAt, status + " for the test", sentAt,
                        List.of(new Report.Port("port", 30000, status == Status.RUNNING, 90, null)))),
                events, 0);
    }

    static void post(String token, Report r, int status) {
        as(token).contentType(ContentType.JSON).body(r).post(API + "/reports").then().statusCode(status);
    }

    @Test
    void whoamiNamesTheCallerAndRole() {
        as(FleetProfile.VIEWER).get(API + "/whoami").then().statusCode(200)
                .body("name", equalTo("vera")).body("role", equalTo("VIEWER"));
        as(FleetProfile.OPERATOR).get(API + "/whoami").then().body("role", equalTo("OPERATOR"));
    }

    @Test
    void anActiveAndAStandbyNodeMakeAnOkClusterSeenInEveryView() {
        Instant now = Instant.now();
        post(FleetProfile.ALPHA, report("alpha", "a1", now, 1, Status.RUNNING, now, List.of(
                new Report.Event(1, now, "HULFT", "transition", "UNKNOWN → RUNNING: all ports answer"))), 202);
        as(FleetProfile.ALPHA).contentType(ContentType.JSON).body(report("alpha", "a2", now, 1, Status.STOPPED, now, List.of()))
                .post(API + "/reports").then().statusCode(202)
                .body("outcome", equalTo("ACCEPTED")).body("state", equalTo("OK"));

        as(FleetProfile.VIEWER).get(API + "/summary").then().statusCode(200)
                .body("byState.OK", greaterThanOrEqualTo(1)).body("byState.SPLIT", greaterThanOrEqualTo(0));
        as(FleetProfile.VIEWER).queryParam("q", "alpha").get(API + "/clusters").then().statusCode(200)
                .body("items.name", hasItem("alpha")).body("items.find { it.name == 'alpha' }.serving", hasItem("HULFT@a1"));
        as(FleetProfile.VIEWER).get(API + "/clusters/alpha").then().statusCode(200)
                .body("cluster.state", equalTo("OK")).body("nodes.node", hasItem("a2"))
                .body("nodes.find { it.node == 'a1' }.resources[0].ports[0].port", equalTo(30000));
        as(FleetProfile.VIEWER).queryParam("cluster", "alpha").get(API + "/events").then().statusCode(200)
                .body("text", hasItem("UNKNOWN → RUNNING: all ports answer"));
    }

    @Test
    void credentialsAreCheckedAndScoped() {
        Instant now = Instant.now();
        given().filter(Contract.INVALID_REQUEST).get(API + "/summary").then().statusCode(401).contentType("application/problem+json");
        as("hak_nobody").contentType(ContentType.JSON).body(report("alpha", "a1", now, 1, Status.RUNNING, now, List.of()))
                .post(API + "/reports").then().statusCode(401);
        as(FleetProfile.VIEWER).contentType(ContentType.JSON).body(report("alpha", "a1", now, 1, Status.RUNNING, now, List.of()))
                .post(API + "/reports").then().statusCode(403).body("detail", containsString("reporter credential"));
        as(FleetProfile.ALPHA).contentType(ContentType.JSON).body(report("beta", "b1", now, 1, Status.RUNNING, now, List.of()))
                .post(API + "/reports").then().statusCode(403)
                .body("detail", containsString("may report for cluster alpha, not for node b1 of cluster beta"));
        as(FleetProfile.BETA_B1).contentType(ContentType.JSON).body(report("beta", "b2", now, 1, Status.RUNNING, now, List.of()))
                .post(API + "/reports").then().statusCode(403).body("detail", containsString("node b1 of cluster beta"));
        as(FleetProfile.ALPHA).get(API + "/summary").then().statusCode(403)
                .body("detail", containsString("can only send reports"));
        as(FleetProfile.VIEWER).contentType(ContentType.JSON).body("{\"comment\":\"x\",\"until\":\"2099-01-01T00:00:00Z\"}")
                .post(API + "/clusters/alpha/acknowledgements").then().statusCode(403);
    }

    @Test
    void badBodiesGetAProblemAndChangeNothing() {
        String before = as(FleetProfile.VIEWER).get(API + "/summary").then().extract().path("clusters").toString();
        invalid(FleetProfile.ALPHA).contentType(ContentType.JSON).body("{\"cluster\": \"alpha\", ")
                .post(API + "/reports").then().statusCode(400).body("type", containsString("malformed-json"));
        invalid(FleetProfile.ALPHA).contentType(ContentType.JSON).body("{\"cluster\":\"alpha\",\"seq\":1}")
                .post(API + "/reports").then().statusCode(422).body("detail", equalTo("node is missing"));
        invalid(FleetProfile.ALPHA).contentType(ContentType.JSON).body("[1,2,3]")
                .post(API + "/reports").then().statusCode(400);
        Instant now = Instant.now();
        invalid(FleetProfile.ALPHA).contentType(ContentType.JSON).body(report("alpha", "a1", now, 1, Status.RUNNING, now,
                        List.of(new Report.Event(1, Instant.parse("+10000-01-01T00:00:00Z"), "HULFT", "transition", "x"))))
                .post(API + "/reports").then().statusCode(422)
                .body("detail", equalTo("events[0].at +10000-01-01T00:00:00Z is not between 1970 and 9999 (event seq 1)"));
        byte[] huge = ("{\"cluster\":\"alpha\",\"node\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        invalid(FleetProfile.ALPHA).contentType(ContentType.JSON).body(huge)
                .post(API + "/reports").then().statusCode(413).body("detail", containsString("at most 1048576"));
        invalid(FleetProfile.ALPHA).contentType(ContentType.TEXT).body("cluster=alpha")
                .post(API + "/reports").then().statusCode(415);
        assertThat(as(FleetProfile.VIEWER).get(API + "/summary").then().extract().path("clusters").toString())
                .isEqualTo(before);
    }

    @Test
    void duplicateAndOutOfOrderReportsAreIdempotent() {
        String cluster = "alpha";
        Instant started = Instant.now().minusSeconds(5);
        Instant now = Instant.now();
        List<Report.Event> events = List.of(new Report.Event(100, now, "HULFT", "action", "restore by otto: SUCCEEDED"));
        Report newer = report(cluster, "a3", started, 50, Status.STOPPED, now, events);
        post(FleetProfile.ALPHA, newer, 202);
        as(FleetProfile.ALPHA).contentType(ContentType.JSON).body(newer).post(API + "/reports").then().statusCode(202)
                .body("outcome", equalTo("OUTDATED")).body("newEvents", equalTo(0));
        as(FleetProfile.ALPHA).contentType(ContentType.JSON)
                .body(report(cluster, "a3", started, 49, Status.FAILED, now, List.of())).post(API + "/reports")
                .then().statusCode(202).body("outcome", equalTo("OUTDATED"));
        as(FleetProfile.VIEWER).get(API + "/clusters/alpha").then()
                .body("nodes.find { it.node == 'a3' }.resources[0].status", equalTo("STOPPED"));
        List<String> texts = as(FleetProfile.VIEWER).queryParam("cluster", cluster).queryParam("limit", 1000)
                .get(API + "/events").then().extract().path("text");
        assertThat(texts).containsOnlyOnce("restore by otto: SUCCEEDED");
        // Forget the extra node again, so alpha is a two-node cluster for the other tests.
        as(FleetProfile.OPERATOR).delete(API + "/clusters/alpha/nodes/a3").then().statusCode(204);
    }

    @Test
    void aNodeClockFarAheadIsShownAndDoesNotChangeFreshness() {
        Instant now = Instant.now();
        Report skewed = report("beta", "b1", now, 1, Status.RUNNING, now.plus(Duration.ofHours(1)), List.of());
        post(FleetProfile.BETA_B1, skewed, 202);
        as(FleetProfile.VIEWER).get(API + "/clusters/beta").then().statusCode(200)
                .body("nodes[0].fresh", equalTo(true))
                .body("nodes[0].skewMillis", greaterThanOrEqualTo(3_500_000));
    }

    /** Issue 11: one event's text with a C1 control made the fleet view refuse every report of its agent. */
    @Test
    void freeTextsAreStoredNeutralisedAndNeverRefuseAReport() {
        Instant now = Instant.now();
        List<Report.Event> events = List.of(
                new Report.Event(1, now, "HULFT", "action", "restore by ops: QUEUED (reason: a\u0085b\u001B[31m)"),
                new Report.Event(2, now, "HULFT", "action", "restore by ops: QUEUED (reason: \u202Eevil\u200B)"));
        Report r = new Report("alpha", "a5", "t\u0085", now, 1, now, List.of(new Report.Resource("HULFT", "HULFT8",
                Status.STOPPED, "standby", now, "why\u0085not", now, List.of())), events, 0);
        as(FleetProfile.ALPHA).contentType(ContentType.JSON).body(r).post(API + "/reports").then().statusCode(202)
                .body("outcome", equalTo("ACCEPTED")).body("newEvents", equalTo(2));
        List<String> texts = as(FleetProfile.VIEWER).queryParam("cluster", "alpha").queryParam("limit", 1000)
                .get(API + "/events").then().extract().path("text");
        assertThat(texts).contains("restore by ops: QUEUED (reason: a\uFFFDb\uFFFD[31m)",
                "restore by ops: QUEUED (reason: \u202Eevil\u200B)");
        as(FleetProfile.VIEWER).get(API + "/clusters/alpha").then()
                .body("nodes.find { it.node == 'a5' }.resources[0].reason", equalTo("why\uFFFDnot"));
        // A name that could disguise itself is still refused, naming the field and the character.
        as(FleetProfile.ALPHA).contentType(ContentType.JSON).body(new Report("alpha", "a5", "t", now, 2, now,
                        List.of(new Report.Resource("HUL\u202EFT", null, Status.STOPPED, "standby", now, null, now, null)),
                        List.of(), 0)).post(API + "/reports").then().statusCode(422)
                .body("detail", equalTo("resources[0].tag holds U+202E at character 3 (a name may hold no bidi control, "
                        + "zero-width character or line separator)"));
        as(FleetProfile.OPERATOR).delete(API + "/clusters/alpha/nodes/a5").then().statusCode(204);
    }

    /** Issue 11: a report from the year 9999 with the greatest seq made every later report of the node OUTDATED. */
    @Test
    void aForgedFarFutureReportDoesNotSilenceTheNode() {
        Instant now = Instant.now();
        Instant doom = Instant.parse("9999-12-31T00:00:00Z");
        Report forged = new Report("alpha", "a6", "t", doom, Long.MAX_VALUE, doom, List.of(new Report.Resource("HULFT",
                "HULFT8", Status.FAILED, "active", doom, "forged", doom, List.of())), List.of(), 0, "forged");
        post(FleetProfile.ALPHA, forged, 202);
        // Its times were beyond the clock bound: kept as received, but its sentAt shows the node's clock skew.
        as(FleetProfile.VIEWER).get(API + "/clusters/alpha").then()
                .body("nodes.find { it.node == 'a6' }.agentStartedAt", not(startsWith("9999")))
                .body("nodes.find { it.node == 'a6' }.resources[0].since", not(startsWith("9999")))
                .body("nodes.find { it.node == 'a6' }.sentAt", startsWith("9999"));
        Report real = new Report("alpha", "a6", "t", now, 1, now, List.of(new Report.Resource("HULFT", "HULFT8",
                Status.STOPPED, "standby", now, null, now, List.of())), List.of(), 0, "real-1");
        as(FleetProfile.ALPHA).contentType(ContentType.JSON).body(real).post(API + "/reports").then().statusCode(202)
                .body("outcome", equalTo("ACCEPTED"));
        as(FleetProfile.VIEWER).get(API + "/clusters/alpha").then()
                .body("nodes.find { it.node == 'a6' }.resources[0].status", equalTo("STOPPED"));
        as(FleetProfile.OPERATOR).delete(API + "/clusters/alpha/nodes/a6").then().statusCode(204);
    }

    @Test
    void operatorTextsFollowTheWireRule() {
        Instant until = Instant.now().plus(Duration.ofHours(1));
        as(FleetProfile.OPERATOR).contentType(ContentType.JSON)
                .body("{\"comment\":\"known\u0085issue\",\"until\":\"" + until + "\"}")
                .post(API + "/clusters/alpha/acknowledgements").then().statusCode(400)
                .body("detail", equalTo("comment holds a control character U+0085 at character 5"));
        as(FleetProfile.OPERATOR).contentType(ContentType.JSON)
                .body("{\"until\":\"" + until + "\",\"reason\":\"lone \\uD800 surrogate\"}")
                .post(API + "/clusters/alpha/maintenance").then().statusCode(400)
                .body("detail", containsString("lone surrogate U+D800"));
    }

    @Test
    void operatorsAcknowledgeAndSetMaintenance() {
        Instant now = Instant.now();
        post(FleetProfile.BETA_B1, report("beta", "b1", now, 10, Status.FAILED, now, List.of()), 202);
        as(FleetProfile.VIEWER).get(API + "/clusters/beta").then().body("cluster.state", equalTo("DOWN"));

        int ack = as(FleetProfile.OPERATOR).contentType(ContentType.JSON)
                .body("{\"comment\":\"disk replaced tonight\",\"until\":\"" + now.plus(Duration.ofHours(2)) + "\"}")
                .post(API + "/clusters/beta/acknowledgements").then().statusCode(201)
                .body("by", equalTo("otto")).extract().path("id");
        as(FleetProfile.VIEWER).get(API + "/clusters/beta").then()
                .body("cluster.acknowledged", equalTo(true)).body("acknowledgements[0].comment", equalTo("disk replaced tonight"));
        as(FleetProfile.OPERATOR).delete(API + "/clusters/beta/acknowledgements/" + ack).then().statusCode(204);
        as(FleetProfile.OPERATOR).delete(API + "/clusters/beta/acknowledgements/" + ack).then().statusCode(404);

        // Without until, sticky: it lasts as long as the problem, and says so.
        as(FleetProfile.OPERATOR).contentType(ContentType.JSON).body("{\"comment\":\"vendor call\",\"sticky\":true}")
                .post(API + "/clusters/beta/acknowledgements").then().statusCode(201)
                .body("until", equalTo(null)).body("sticky", equalTo(true)).body("state", equalTo("DOWN"));
        as(FleetProfile.VIEWER).get(API + "/clusters/beta").then().body("cluster.acknowledgedBy", equalTo("otto"))
                .body("cluster.acknowledgedUntil", equalTo(null)).body("cluster.acknowledgedSticky", equalTo(true));

        Instant end = now.plus(Duration.ofHours(1));
        int window = as(FleetProfile.OPERATOR).contentType(ContentType.JSON)
                .body("{\"until\":\"" + end + "\",\"reason\":\"HULFT upgrade\"}")
                .post(API + "/clusters/beta/maintenance").then().statusCode(201).extract().path("id");
        // The real state, with the marker.
        as(FleetProfile.VIEWER).get(API + "/clusters/beta").then().body("cluster.state", equalTo("DOWN"))
                .body("cluster.inMaintenance", equalTo(true)).body("cluster.maintenanceUntil", notNullValue());
        as(FleetProfile.VIEWER).get(API + "/summary").then().body("inMaintenance", greaterThanOrEqualTo(1))
                .body("byState.MAINTENANCE", greaterThanOrEqualTo(1));
        as(FleetProfile.OPERATOR).delete(API + "/clusters/beta/maintenance/" + window).then().statusCode(204);
        as(FleetProfile.VIEWER).get(API + "/clusters/beta").then().body("cluster.state", equalTo("DOWN"))
                .body("cluster.inMaintenance", equalTo(false)).body("cluster.maintenanceUntil", equalTo(null));

        // Weekly, in a named zone: listed with its next occurrence.
        int weekly = as(FleetProfile.OPERATOR).contentType(ContentType.JSON)
                .body("{\"reason\":\"Sunday patching\",\"days\":[\"sun\"],\"start\":\"02:00\",\"duration\":\"PT2H\","
                        + "\"zone\":\"Europe/Berlin\"}")
                .post(API + "/clusters/beta/maintenance").then().statusCode(201)
                .body("days", equalTo(List.of("SUNDAY"))).body("zone", equalTo("Europe/Berlin"))
                .body("until", equalTo(null)).body("nextFrom", notNullValue()).extract().path("id");
        as(FleetProfile.VIEWER).get(API + "/clusters/beta/maintenance").then().statusCode(200)
                .body("find { it.id == " + weekly + " }.start", equalTo("02:00"));
        as(FleetProfile.OPERATOR).delete(API + "/clusters/beta/maintenance/" + weekly).then().statusCode(204);

        as(FleetProfile.OPERATOR).contentType(ContentType.JSON)
                .body("{\"comment\":\"x\",\"until\":\"2000-01-01T00:00:00Z\"}")
                .post(API + "/clusters/beta/acknowledgements").then().statusCode(400)
                .body("detail", equalTo("until must be in the future"));
        as(FleetProfile.OPERATOR).contentType(ContentType.JSON)
                .body("{\"comment\":\"x\",\"until\":\"" + now.plus(Duration.ofHours(1)) + "\"}")
                .post(API + "/clusters/no-such-cluster/acknowledgements").then().statusCode(404);
        as(FleetProfile.OPERATOR).contentType(ContentType.JSON)
                .body("{\"until\":\"" + now.plus(Duration.ofHours(1)) + "\",\"reason\":\"two\\nlines\"}")
                .post(API + "/clusters/beta/maintenance").then().statusCode(400);
    }

    @Test
    void anAcknowledgementOfAnOkClusterIsAConflictAndOneOfItsProblemEndsWhenItRecovers() {
        Instant now = Instant.now();
        post(FleetProfile.GAMMA_G1, report("gamma", "g1", now, 10, Status.RUNNING, now, List.of()), 202);
        as(FleetProfile.OPERATOR).contentType(ContentType.JSON).body("{\"comment\":\"just in case\"}")
                .post(API + "/clusters/gamma/acknowledgements").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("cluster 'gamma' is OK: there is no problem to acknowledge"));

        post(FleetProfile.GAMMA_G1, report("gamma", "g1", now, 11, Status.FAILED, now, List.of()), 202);
        as(FleetProfile.OPERATOR).contentType(ContentType.JSON).body("{\"comment\":\"on it\"}")
                .post(API + "/clusters/gamma/acknowledgements").then().statusCode(201);
        as(FleetProfile.VIEWER).get(API + "/clusters/gamma").then().body("cluster.acknowledged", equalTo(true));
        post(FleetProfile.GAMMA_G1, report("gamma", "g1", now, 12, Status.RUNNING, now, List.of()), 202);
        as(FleetProfile.VIEWER).get(API + "/clusters/gamma").then().body("cluster.state", equalTo("OK"))
                .body("cluster.acknowledged", equalTo(false)).body("acknowledgements", hasSize(0))
                .body("history.find { it.kind == 'ACK' }.text", equalTo("acknowledgement by otto ended: cluster recovered"));
    }

    @Test
    void labelsShowOnNodesAndClustersAndSelectTheClusterTable() {
        Instant now = Instant.now();
        Report plain = report("beta", "b1", now, 1, Status.RUNNING, now, List.of());
        post(FleetProfile.BETA_B1, new Report(plain.cluster(), plain.node(), plain.agentVersion(), plain.agentStartedAt(),
                plain.seq(), plain.sentAt(), plain.resources(), plain.events(), 0, "labels-" + now.toEpochMilli(),
                Map.of("site", "apitest-osaka", "env", "apitest-prod"), true, "lifekeeper"), 202);

        as(FleetProfile.VIEWER).get(API + "/clusters/beta").then().statusCode(200)
                .body("cluster.labels.site", equalTo("apitest-osaka"))
                .body("nodes.find { it.node == 'b1' }.labels.env", equalTo("apitest-prod"))
                .body("nodes.find { it.node == 'b1' }.fleetActions", equalTo(true))
                .body("nodes.find { it.node == 'b1' }.actionsVia", equalTo("lifekeeper"));
        as(FleetProfile.VIEWER).queryParam("label", "site=apitest-osaka").get(API + "/clusters").then().statusCode(200)
                .body("items.name", contains("beta")).body("total", equalTo(1))
                .body("items[0].labels.env", equalTo("apitest-prod"));
        as(FleetProfile.VIEWER).queryParam("label", "site=apitest-osaka").queryParam("label", "env=apitest-prod")
                .get(API + "/clusters").then().statusCode(200).body("items.name", contains("beta"));
        as(FleetProfile.VIEWER).queryParam("label", "site=apitest-osaka").queryParam("label", "env=other")
                .get(API + "/clusters").then().statusCode(200).body("total", equalTo(0));
        as(FleetProfile.VIEWER).queryParam("q", "APITEST-OSA").get(API + "/clusters").then().statusCode(200)
                .body("items.name", contains("beta"));

        // A bad filter: one line naming it, never a 500.
        for (String[] bad : new String[][] {
                {"site", "label must be key=value, e.g. label=site=osaka"},
                {"Site=osaka", "label has a key that is not a label key (a-z, then a-z 0-9 _; 1 to 63 characters)"},
                {"=osaka", "label has a key that is not a label key (a-z, then a-z 0-9 _; 1 to 63 characters)"},
                {"site=", "label.site is missing"},
                {"site=" + "o".repeat(129), "label.site is too long: at most 128 characters"}}) {
            invalid(FleetProfile.VIEWER).queryParam("label", bad[0]).get(API + "/clusters").then().statusCode(400)
                    .body("detail", equalTo(bad[1]));
        }
        invalid(FleetProfile.VIEWER).queryParam("label", "site=a").queryParam("label", "site=b").get(API + "/clusters")
                .then().statusCode(400).body("detail", equalTo("label site is given twice: give each key once"));
        // A report's labels follow the same rule: refused, naming the field.
        invalid(FleetProfile.BETA_B1).contentType(ContentType.JSON).body(new Report("beta", "b1", "test", now, 2, now,
                        List.of(), List.of(), 0, null, Map.of("site", "osa\u0000ka"), null, null))
                .post(API + "/reports").then().statusCode(422)
                .body("detail", startsWith("labels.site holds a control character U+0000"));
        invalid(FleetProfile.BETA_B1).contentType(ContentType.JSON).body(new Report("beta", "b1", "test", now, 2, now,
                        List.of(), List.of(), 0, null, Map.of(), null, "ssh"))
                .post(API + "/reports").then().statusCode(422)
                .body("detail", equalTo("actionsVia must be lifekeeper or direct (or absent)"));
    }

    @Test
    void queryParametersAreChecked() {
        invalid(FleetProfile.VIEWER).queryParam("state", "BROKEN").get(API + "/clusters").then().statusCode(400)
                .body("detail", containsString("state must be one of"));
        invalid(FleetProfile.VIEWER).queryParam("size", 0).get(API + "/clusters").then().statusCode(400);
        invalid(FleetProfile.VIEWER).queryParam("sort", "random").get(API + "/clusters").then().statusCode(400);
        invalid(FleetProfile.VIEWER).queryParam("since", "yesterday").get(API + "/events").then().statusCode(400);
        as(FleetProfile.VIEWER).get(API + "/clusters/nope").then().statusCode(404);
    }

    @Test
    void eventsComeNewestFirstByTimeFilteredByKindAndNodeAndPaged() {
        String node = "ev-" + UUID.randomUUID().toString().substring(0, 6);
        Instant now = Instant.now();
        // Told in another order than they happened: the order NEWEST is by when, not by arrival.
        post(FleetProfile.ALPHA, report("alpha", node, now.minusSeconds(5), 1, Status.STOPPED, now, List.of(
                new Report.Event(1, now.minusSeconds(30), "HULFT", "transition", "oldest"),
                new Report.Event(2, now.minusSeconds(10), "HULFT", "transition", "newest"),
                new Report.Event(3, now.minusSeconds(20), "HULFT", "action", "middle"))), 202);
        try {
            List<String> transitions = as(FleetProfile.VIEWER).queryParam("node", node).queryParam("kind", "TRANSITION")
                    .queryParam("order", "NEWEST").get(API + "/events").then().statusCode(200).extract().path("text");
            assertThat(transitions).containsExactly("newest", "oldest");

            List<Integer> all = as(FleetProfile.VIEWER).queryParam("cluster", "alpha").queryParam("node", node)
                    .queryParam("order", "NEWEST").get(API + "/events").then().statusCode(200).extract().path("id");
            List<String> page1 = as(FleetProfile.VIEWER).queryParam("node", node).queryParam("order", "NEWEST")
                    .queryParam("limit", 2).get(API + "/events").then().statusCode(200).extract().path("text");
            List<String> page2 = as(FleetProfile.VIEWER).queryParam("node", node).queryParam("order", "NEWEST")
                    .queryParam("before", all.get(1)).queryParam("limit", 2).get(API + "/events").then()
                    .statusCode(200).extract().path("text");
            assertThat(all).hasSize(4);  // the node first seen, then its three events
            assertThat(page1).hasSize(2).endsWith("newest");
            assertThat(page2).containsExactly("middle", "oldest");

            invalid(FleetProfile.VIEWER).queryParam("order", "random").get(API + "/events").then().statusCode(400)
                    .body("detail", containsString("order must be one of"));
            invalid(FleetProfile.VIEWER).queryParam("kind", "GOSSIP").get(API + "/events").then().statusCode(400)
                    .body("detail", containsString("kind must be one of"));
            invalid(FleetProfile.VIEWER).queryParam("before", 5).get(API + "/events").then().statusCode(400)
                    .body("detail", containsString("order=NEWEST"));
            invalid(FleetProfile.VIEWER).queryParam("order", "NEWEST").queryParam("before", 0).get(API + "/events")
                    .then().statusCode(400);
        } finally {
            as(FleetProfile.OPERATOR).delete(API + "/clusters/alpha/nodes/" + node).then().statusCode(204);
        }
    }

    @Test
    void theAgentsRoutesAreNotServedHere() {
        invalid(FleetProfile.VIEWER).get("/api/v1/node").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("fleet view"));
    }

    @Test
    void aChangeIsOnTheStream() throws Exception {
        String cluster = "alpha";
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(base.resolve(API + "/stream"))
                .header("Authorization", "Bearer " + FleetProfile.VIEWER).header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // the test closes the stream
            }
        });
        reader.setDaemon(true);
        reader.start();
        String marker = "stream test " + UUID.randomUUID();
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        post(FleetProfile.ALPHA, report(cluster, "a2", now.minusSeconds(1), System.currentTimeMillis(), Status.STOPPED, now,
                List.of(new Report.Event(System.currentTimeMillis(), now, "HULFT", "transition", marker))), 202);
        String found = null;
        while (found == null && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5)) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith("data:") && line.contains(marker)) {
                found = line;
            }
        }
        response.body().close();
        // Within 5 s here; how fast is the benchmark's business (FleetBench).
        assertThat(found).as("the event on the stream").isNotNull().contains("\"kind\":\"TRANSITION\"");
    }
}
