package io.hulftark.fleet.api;

import io.hulftark.contract.Contract;
import io.hulftark.fleet.FleetService;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;
import io.hulftark.wire.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * The inventory's REST API over real HTTP on the embedded store, every request and answer checked against
 * openapi/fleet.yaml (Contract). Each test's nodes carry a label of their own (run=...), since other test classes
 * share the application and its store.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
class InventoryApiTest {

    static final String API = "/api/v1/fleet/inventory";

    @Inject
    FleetService fleet;

    String run;

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** inv1/n1 agent 1.0.0 on Windows, inv1/n2 agent 0.1.0 on Linux with a failing preflight, inv2/m1 agent 1.0.0. */
    @BeforeEach
    void fleetOfThree() {
        run = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Instant now = fleet.now();
        node("inv1-" + run, "n1", "1.0.0", Map.of("run", run, "site", "osaka"), now,
                facts("Windows Server 2022", "10.0.20348", "17.0.13", false, null, "OK"));
        node("inv1-" + run, "n2", "0.1.0", Map.of("run", run, "site", "=cmd"), now.minusSeconds(1),
                facts("Red Hat Enterprise Linux", "9.4", "21.0.5", true, "9.8.0", "FAIL"));
        node("inv2-" + run, "m1", "1.0.0", Map.of("run", run), now.minusSeconds(2), null);
    }

    static NodeFacts facts(String os, String osVersion, String jvm, boolean lifekeeper, String lifekeeperVersion,
                           String confFile) {
        return new NodeFacts("a".repeat(64), Instant.now(), "1.0.0", os, osVersion, jvm, "host", "simulated",
                lifekeeper, lifekeeperVersion, List.of(new NodeFacts.ResourceFacts("HULFT", Map.of(),
                List.of(new NodeFacts.PreflightRow("conf_file", confFile, "hulenv.cnf")))), Instant.now());
    }

    void node(String cluster, String node, String agentVersion, Map<String, String> labels, Instant at,
              NodeFacts facts) {
        Report.Resource r = new Report.Resource("HULFT", "HULFT8", Status.RUNNING, "active", at, null, at,
                List.of(new Report.Port("rcvport", 30000, true, 90, null)));
        fleet.store().ingest(new Report(cluster, node, agentVersion, at, 1, at, List.of(r), List.of(), 0, null,
                labels, null, null, facts), at);
    }

    @Test
    void aPageOfTheNodesThatMatchInTheAskedOrder() {
        as(FleetProfile.VIEWER).queryParam("label", "run=" + run).get(API).then().statusCode(200)
                .body("total", equalTo(3)).body("offset", equalTo(0)).body("limit", equalTo(100))
                .body("nodes.node", contains("n1", "n2", "m1"))
                .body("nodes[0].cluster", equalTo("inv1-" + run)).body("nodes[0].fresh", equalTo(true))
                .body("nodes[0].labels.site", equalTo("osaka")).body("nodes[1].readinessFailures", equalTo(1))
                .body("nodes[0].drifting", equalTo(true)).body("nodes[0].os", equalTo("Windows Server 2022"))
                .body("nodes[2].drifting", equalTo(false)).body("nodes[2].lifekeeper", equalTo(null));
        as(FleetProfile.VIEWER).queryParam("label", "run=" + run).queryParam("sort", "agentVersion")
                .queryParam("order", "desc").queryParam("limit", "2").get(API).then().statusCode(200)
                .body("total", equalTo(3)).body("nodes.node", contains("n1", "m1"));
        as(FleetProfile.VIEWER).queryParam("label", "run=" + run).queryParam("sort", "receivedAt")
                .queryParam("offset", "1").get(API).then().statusCode(200)
                .body("nodes.node", contains("n2", "n1"));
    }

    @Test
    void everyFilterNarrowsAndTheyAnd() {
        as(FleetProfile.VIEWER).queryParam("label", "run=" + run).queryParam("agentVersion", "1.0.0").get(API)
                .then().statusCode(200).body("nodes.node", contains("n1", "m1"));
        as(FleetProfile.VIEWER).queryParam("label", "run=" + run).queryParam("label", "site=osaka").get(API)
                .then().statusCode(200).body("nodes.node", contains("n1"));
        as(FleetProfile.VIEWER).queryParam("cluster", "inv2-" + run).get(API)
                .then().statusCode(200).body("nodes.node", contains("m1"));
        as(FleetProfile.VIEWER).queryParam("q", "INV2-" + run.toUpperCase()).get(API)
                .then().statusCode(200).body("nodes.node", contains("m1"));
        as(FleetProfile.VIEWER).queryParam("label", "run=" + run).queryParam("os", "Red Hat Enterprise Linux 9.4")
                .get(API).then().statusCode(200).body("nodes.node", contains("n2"));
        as(FleetProfile.VIEWER).queryParam("label", "run=" + run).queryParam("os", "(unknown)")
                .get(API).then().statusCode(200).body("nodes.node", contains("m1"));
        as(FleetProfile.VIEWER).queryParam("label", "run=" + run).queryParam("lifekeeper", "(none)")
                .queryParam("jvm", "17.0.13").get(API).then().statusCode(200).body("nodes.node", contains("n1"));
        as(FleetProfile.VIEWER).queryParam("label", "run=" + run).queryParam("readiness", "true")
                .get(API).then().statusCode(200).body("nodes.node", contains("n2"));
        as(FleetProfile.VIEWER).queryParam("label", "run=" + run).queryParam("readiness", "false")
                .get(API).then().statusCode(200).body("nodes.node", contains("n1", "m1"));
    }

    @Test
    void theCsvHasEveryMatchWhateverTheLimitAndNeverAFormula() {
        String csv = as(FleetProfile.VIEWER).queryParam("label", "run=" + run).queryParam("format", "csv")
                .queryParam("limit", "1").get(API).then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString("fleet-inventory.csv")).extract().asString();
        String[] lines = csv.split("\r\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).isEqualTo(String.join(",", InventoryResource.CSV_HEADER));
        assertThat(lines[1]).startsWith("inv1-" + run + ",n1,")
                .contains(",true,1.0.0,Windows Server 2022,10.0.20348,17.0.13,host,simulated,false,,run=" + run
                        + "; site=osaka,").endsWith(",0,true");
        assertThat(lines[2]).startsWith("inv1-" + run + ",n2,").contains("run=" + run + "; site==cmd")
                .contains(",true,9.8.0,").endsWith(",1,true");
        assertThat(lines[3]).startsWith("inv2-" + run + ",m1,");

        String byAccept = as(FleetProfile.VIEWER).accept("text/csv").queryParam("label", "run=" + run)
                .queryParam("sort", "node").get(API).then().statusCode(200).extract().asString();
        assertThat(byAccept.split("\r\n")).hasSize(4);
        assertThat(byAccept.split("\r\n")[1]).startsWith("inv2-" + run + ",m1,");
    }

    @Test
    void aCellThatWouldBeAFormulaIsNeutralised() {
        // Any text an agent sends ends up in some cell: one that begins with "=" must not run in a spreadsheet.
        node("inv3-" + run, "f1", "=HYPERLINK(1)", Map.of("run", run), fleet.now(), null);
        String csv = as(FleetProfile.VIEWER).queryParam("cluster", "inv3-" + run).queryParam("format", "csv")
                .get(API).then().statusCode(200).extract().asString();
        assertThat(csv.split("\r\n")[1]).contains(",'=HYPERLINK(1),").doesNotContain(",=HYPERLINK");
    }

    @Test
    void countsPerValueMostFirst() {
        as(FleetProfile.VIEWER).get(API + "/counts").then().statusCode(200)
                .body("total", greaterThanOrEqualTo(3))
                .body("agentVersion.'1.0.0'", greaterThanOrEqualTo(2))
                .body("os.'Red Hat Enterprise Linux 9.4'", greaterThanOrEqualTo(1))
                .body("lifekeeper.'(none)'", greaterThanOrEqualTo(1))
                .body("jvm.'(unknown)'", greaterThanOrEqualTo(1));
    }

    @Test
    void aBadParameterIsA400NamingIt() {
        for (String[] bad : new String[][] {{"limit", "0"}, {"limit", "1001"}, {"offset", "-1"}, {"offset", "x"},
                {"sort", "size"}, {"order", "up"}, {"readiness", "maybe"}, {"format", "xml"}, {"label", "site"},
                {"label", "Site=x"}, {"q", "x".repeat(65)}, {"os", "x".repeat(258)}}) {
            as(FleetProfile.VIEWER).filter(Contract.INVALID_REQUEST).queryParam(bad[0], bad[1]).get(API).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString(bad[0].equals("label") ? "label" : bad[0]));
        }
    }

    @Test
    void viewersReadReportersDoNot() {
        given().filter(Contract.INVALID_REQUEST).get(API).then().statusCode(401);
        as(FleetProfile.ALPHA).get(API + "/counts").then().statusCode(403)
                .body("detail", containsString("can only send reports"));
        as(FleetProfile.OPERATOR).queryParam("label", "run=" + run).get(API).then().statusCode(200)
                .body("nodes", hasSize(3));
        as(FleetProfile.VIEWER).get(API + "/counts").then().statusCode(200);
    }
}
