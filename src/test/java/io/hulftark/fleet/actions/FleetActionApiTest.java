package io.hulftark.fleet.actions;

import io.hulftark.contract.Contract;
import io.hulftark.fleet.api.FleetProfile;
import io.hulftark.http.security.ReporterScope;
import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;
import io.hulftark.wire.ActionOutcome;
import io.hulftark.wire.Report;
import io.hulftark.wire.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/** Fleet actions over real HTTP on the embedded store: roles, problems, Location, the audit and its CSV. */
@QuarkusTest
@TestProfile(FleetProfile.class)
class FleetActionApiTest {

    static final String API = "/api/v1/fleet";
    static final String DELTA = "hak_fleet-reporter-delta-for-action-tests";
    static final Instant STARTED = Instant.now().minusSeconds(60);

    @Inject
    ActionService actions;

    private final ReportedFlags flags = new ReportedFlags();
    /** One agent process per node for the whole class: each report newer than the last, whichever test sends it. */
    private static final java.util.concurrent.atomic.AtomicLong SEQ = new java.util.concurrent.atomic.AtomicLong();

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    static RequestSpecification invalid(String token) {
        return as(token).filter(Contract.INVALID_REQUEST);
    }

    @BeforeEach
    void agents() {
        // A reporter of cluster delta of our own: other classes of this boot use alpha to gamma.
        TokenStore tokens = new TokenStore(Path.of(ConfigProvider.getConfig()
                .getValue("hulftark.security.tokens-file", String.class)));
        if (tokens.authenticate(DELTA).isEmpty()) {
            tokens.add("agent-delta", Role.REPORTER, Optional.of(new ReporterScope("delta", Optional.empty())), DELTA);
        }
        actions.view(flags::overlay);
        report("d1", Status.RUNNING, true);
        report("d2", Status.STOPPED, true);
        report("d3", Status.STOPPED, false);
    }

    @AfterEach
    void plainView() {
        actions.view(UnaryOperator.identity());
    }

    void report(String node, Status status, boolean allowed, ActionOutcome... outcomes) {
        Instant now = Instant.now();
        long s = SEQ.incrementAndGet();
        List<Report.Event> events = new ArrayList<>();
        for (ActionOutcome o : outcomes) {
            events.add(new Report.Event(s * 10 + events.size(), now, "HULFT", "action", o.action() + ": " + o.state(), o));
        }
        Report r = new Report("delta", node, "test", STARTED, s, now,
                List.of(new Report.Resource("HULFT", "HULFT8", status, status == Status.RUNNING ? "active" : "standby",
                        now, null, now, List.of())), events, 0, "i-" + node, Map.of(), allowed, "direct");
        flags.saw(r);
        as(DELTA).contentType(ContentType.JSON).body(r).post(API + "/reports").then().statusCode(202);
    }

    @Test
    void anOperatorStartsAnActionFollowsItAndFindsItInTheAudit() {
        String location = as(FleetProfile.OPERATOR).contentType(ContentType.JSON)
                .body("{\"action\": \"restore\", \"node\": \"d2\", \"reason\": \"=HYPERLINK(\\\"x\\\")\"}")
                .post(API + "/clusters/delta/actions").then().statusCode(202)
                .header("Location", containsString("/api/v1/fleet/actions/fa-"))
                .body("state", equalTo("RUNNING")).body("requestedBy", equalTo("otto"))
                .body("steps[0].node", equalTo("d2")).body("steps[0].state", equalTo("PENDING"))
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        String step = as(FleetProfile.VIEWER).get(API + "/actions/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("cluster", equalTo("delta")).extract().path("steps[0].id");
        assertThat(actions.orders().undelivered("delta", "d2", 20)).extracting(o -> o.id()).containsExactly(step);

        invalid(FleetProfile.OPERATOR).contentType(ContentType.JSON).body("{\"action\": \"quickCheck\", \"node\": \"d1\"}")
                .post(API + "/clusters/delta/actions").then().statusCode(409)
                .body("type", containsString("action-running")).body("detail", containsString(id));

        report("d2", Status.RUNNING, true, new ActionOutcome(step, "restore", "SUCCEEDED", 0, 900L,
                List.of("HULFT started"), "direct", "fleet:otto"));
        as(FleetProfile.VIEWER).get(API + "/actions/" + id).then().statusCode(200)
                .body("state", equalTo("SUCCEEDED")).body("steps[0].exitCode", equalTo(0))
                .body("steps[0].messages", hasItem("HULFT started"));
        as(FleetProfile.VIEWER).queryParam("cluster", "delta").queryParam("kind", "ACTION").get(API + "/events")
                .then().statusCode(200).body("text", hasItem(startsWith("restore on d2 by otto")));

        as(FleetProfile.VIEWER).queryParam("cluster", "delta").queryParam("by", "otto").get(API + "/actions")
                .then().statusCode(200).body("[0].id", equalTo(id));
        String csv = as(FleetProfile.VIEWER).header("Accept", "text/csv").queryParam("cluster", "delta")
                .get(API + "/actions").then().statusCode(200).contentType(containsString("text/csv"))
                .extract().asString();
        List<String> lines = List.of(csv.split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("id,cluster,action,node,tag,force,reason,requestedBy,requestedAt,state,"
                + "endedAt,durationMillis,detail,batch,steps");
        assertThat(lines.get(1)).startsWith(id + ",delta,restore,d2,,false,\"'=HYPERLINK(\"\"x\"\")\",otto,")
                .contains(",SUCCEEDED,").endsWith(",1 restore HULFT on d2: SUCCEEDED exit 0");
        assertThat(as(FleetProfile.VIEWER).queryParam("format", "csv").queryParam("cluster", "delta")
                .get(API + "/actions").then().statusCode(200).extract().asString()).isEqualTo(csv);
    }

    @Test
    void viewersAndReportersNeverAct() {
        String body = "{\"action\": \"quickCheck\", \"node\": \"d1\"}";
        invalid(FleetProfile.VIEWER).contentType(ContentType.JSON).body(body).post(API + "/clusters/delta/actions")
                .then().statusCode(403).body("detail", containsString("operator role"));
        invalid(DELTA).contentType(ContentType.JSON).body(body).post(API + "/clusters/delta/actions")
                .then().statusCode(403).body("detail", containsString("reporter credential"));
        invalid(DELTA).get(API + "/actions").then().statusCode(403);
        invalid(DELTA).get(API + "/actions/fa-1").then().statusCode(403);
        as(FleetProfile.VIEWER).get(API + "/actions").then().statusCode(200);
    }

    @Test
    void badRequestsAreOneLineProblems() {
        post("{\"action\": \"reboot\", \"node\": \"d1\"}", 400)
                .body("detail", equalTo("action must be one of restore, remove, recover, quickCheck, switchover"));
        post("{\"action\": \"restore\", \"node\": \"d 1\"}", 400).body("detail", startsWith("node is not a name"));
        post("{\"action\": \"restore\", \"node\": \"d2\", \"reason\": \"a\\u0007b\"}", 400)
                .body("detail", startsWith("reason holds a control character"));
        post("{\"action\": \"restore\"", 400);
        post("{\"action\": \"restore\"}", 400).body("detail", equalTo("node is missing: restore runs on one node"));
        invalid(FleetProfile.VIEWER).queryParam("limit", "0").get(API + "/actions").then().statusCode(400);
        invalid(FleetProfile.VIEWER).queryParam("state", "DONE").get(API + "/actions").then().statusCode(400);
        invalid(FleetProfile.VIEWER).queryParam("since", "yesterday").get(API + "/actions").then().statusCode(400);
        invalid(FleetProfile.VIEWER).queryParam("format", "xml").get(API + "/actions").then().statusCode(400);
    }

    @Test
    void unknownNamesAre404AndUnsafeOrDisallowedActions409() {
        invalid(FleetProfile.OPERATOR).contentType(ContentType.JSON).body("{\"action\": \"restore\", \"node\": \"d2\"}")
                .post(API + "/clusters/nowhere/actions").then().statusCode(404)
                .body("detail", equalTo("no cluster named 'nowhere'"));
        post("{\"action\": \"restore\", \"node\": \"d9\"}", 404).body("detail", equalTo("cluster delta has no node 'd9'"));
        post("{\"action\": \"restore\", \"node\": \"d2\", \"tag\": \"HULFT9\"}", 404);
        invalid(FleetProfile.VIEWER).get(API + "/actions/fa-none").then().statusCode(404);
        post("{\"action\": \"remove\", \"node\": \"d1\"}", 409).body("type", containsString("needs-force"));
        post("{\"action\": \"restore\", \"node\": \"d3\"}", 409).body("type", containsString("actions-not-allowed"))
                .body("detail", startsWith("d3's agent does not run actions of the fleet view"));
        post("{\"action\": \"switchover\"}", 400).body("detail", containsString("has 2 standby nodes"));
    }

    private io.restassured.response.ValidatableResponse post(String body, int status) {
        return invalid(FleetProfile.OPERATOR).contentType(ContentType.JSON).body(body)
                .post(API + "/clusters/delta/actions").then().statusCode(status);
    }
}
