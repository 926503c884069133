package io.hulftark.agent.push;

import io.hulftark.app.Management;
import io.hulftark.contract.Contract;
import io.hulftark.wire.Report;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static io.hulftark.agent.push.PushAgentResource.CLUSTER;
import static io.hulftark.agent.push.PushAgentResource.NODE;
import static io.hulftark.agent.push.PushAgentResource.OPERATOR;
import static io.hulftark.agent.push.PushAgentResource.OPERATOR_TOKEN;
import static io.hulftark.agent.push.PushAgentResource.REPORTER_TOKEN;
import static io.hulftark.agent.push.PushAgentResource.TAG;
import static io.hulftark.agent.push.PushAgentResource.VIEWER_TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The agent's fleet side over HTTP, against a simulated HULFT: GET /api/v1/report, and the push of a real agent
 * to a stand-in fleet view that is down at the agent's start and comes up later.
 */
@QuarkusTest
@TestProfile(PushAgentResource.Profile.class)
class AgentPushTest {

    static final Duration WAIT = Duration.ofSeconds(40); // an action of the simulation starts JVMs: generous
    private static FleetFixture fleet;

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    static synchronized FleetFixture fleet() throws Exception {
        if (fleet == null) {
            fleet = new FleetFixture(ConfigProvider.getConfig().getValue(PushAgentResource.FLEET_PORT_PROPERTY, Integer.class));
        }
        return fleet;
    }

    @AfterAll
    static void closeFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    static <T> T await(String what, Supplier<Optional<T>> until) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<T> last = until.get();
        while (last.isEmpty()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
            last = until.get();
        }
        return last.get();
    }

    static List<Long> historySeqs() {
        return as(VIEWER_TOKEN).get("/api/v1/events?limit=1000").then().statusCode(200).extract().jsonPath()
                .getList("seq", Long.class);
    }

    @Test
    void theReportNeedsACredential() {
        given().filter(Contract.INVALID_REQUEST).get("/api/v1/report").then().statusCode(401).contentType(startsWith("application/problem+json"));
        as("hak_not-a-token").get("/api/v1/report").then().statusCode(401);
    }

    @Test
    void theReportIsTheStateNowWithTheEventsAfterAfter() throws Exception {
        // The agent has checked at least once: a transition from UNKNOWN is in its history.
        await("a first transition", () -> Optional.of(historySeqs()).filter(s -> !s.isEmpty()));
        JsonPath all = as(VIEWER_TOKEN).get("/api/v1/report").then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("cluster", equalTo(CLUSTER)).body("node", equalTo(NODE))
                .body("resources[0].tag", equalTo(TAG))
                .extract().jsonPath();
        assertThat(all.getString("agentVersion")).isNotBlank();
        assertThat(Instant.parse(all.getString("agentStartedAt"))).isBefore(Instant.now());
        assertThat(Instant.parse(all.getString("sentAt"))).isAfterOrEqualTo(Instant.parse(all.getString("agentStartedAt")));
        assertThat(all.getLong("seq")).isPositive();
        assertThat(all.getLong("dropped")).isZero();
        assertThat(all.getString("resources[0].status")).isIn("RUNNING", "STOPPED", "FAILED", "UNKNOWN");
        assertThat(all.getString("resources[0].role")).isNotBlank();
        if ("RUNNING".equals(all.getString("resources[0].status"))) {
            assertThat(all.getList("resources[0].ports")).isNotEmpty();
        }
        List<Long> seqs = all.getList("events.seq", Long.class);
        assertThat(seqs).isNotEmpty().isSorted();
        assertThat(all.getString("events[0].type")).isEqualTo("transition");
        assertThat(all.getString("events[0].text")).startsWith("UNKNOWN → ");

        long first = seqs.get(0);
        JsonPath after = as(VIEWER_TOKEN).get("/api/v1/report?after=" + first).then().statusCode(200).extract().jsonPath();
        assertThat(after.getList("events.seq", Long.class)).allMatch(s -> s > first).doesNotContain(first);
        assertThat(after.getLong("seq")).as("every report a new seq").isGreaterThan(all.getLong("seq"));
        long last = historySeqs().get(historySeqs().size() - 1);
        assertThat(as(VIEWER_TOKEN).get("/api/v1/report?after=" + last).then().statusCode(200).extract().jsonPath()
                .getList("events")).isEmpty();
        // An operator may read too.
        as(OPERATOR_TOKEN).get("/api/v1/report?after=" + last).then().statusCode(200);
    }

    @Test
    void aBadAfterIsAProblem() {
        for (String bad : List.of("x", "-1", "1.5", "99999999999999999999")) {
            as(VIEWER_TOKEN).filter(Contract.INVALID_REQUEST).get("/api/v1/report?after=" + bad).then().statusCode(400)
                    .contentType(startsWith("application/problem+json"))
                    .body("detail", startsWith("after must be an event's seq"));
        }
    }

    @Test
    void theAgentPushesItsStateAndWhatHappenedWhileTheFleetViewWasDown() throws Exception {
        FleetFixture f = fleet();
        Report first = await("a report taken", () -> f.taken().stream().findFirst());
        FleetFixture.Received raw = f.received.get(0);
        assertThat(raw.authorization()).isEqualTo("Bearer " + REPORTER_TOKEN);
        assertThat(first.cluster()).isEqualTo(CLUSTER);
        assertThat(first.node()).isEqualTo(NODE);
        assertThat(first.resources()).extracting(Report.Resource::tag).containsExactly(TAG);
        // Everything the agent recorded before the fleet view came up reaches it.
        List<Long> recorded = historySeqs();
        await("the history delivered", () -> Optional.of(delivered(f)).filter(d -> d.containsAll(recorded)));

        // An action now: each of its steps is pushed, the last one with its outcome.
        String id = as(OPERATOR_TOKEN).contentType("application/json")
                .body("{\"action\": \"quickCheck\", \"reason\": \"push test\"}")
                .post("/api/v1/resources/{tag}/actions", TAG).then().statusCode(202).extract().path("id");
        FleetFixture.Received ended = await("the action's end pushed", () -> f.received.stream()
                .filter(r -> r.answered() == 200 && r.report().events().stream()
                        .anyMatch(e -> e.text().startsWith("quickCheck by " + OPERATOR + ": ") && e.text().contains("(exit ")))
                .findFirst());
        Instant endedAt = Instant.parse(as(VIEWER_TOKEN).get("/api/v1/actions/{id}", id).then().statusCode(200)
                .extract().path("endedAt"));
        // At once, not at the next heartbeat (1 s here): well within a second of the action's end.
        assertThat(Duration.between(endedAt, ended.at())).isLessThan(Duration.ofMillis(900));
        assertThat(delivered(f)).containsAll(historySeqs().subList(0, historySeqs().size() - 1));

        JsonPath node = as(VIEWER_TOKEN).get("/api/v1/node").then().statusCode(200).extract().jsonPath();
        assertThat(node.getString("fleetPush.url")).endsWith(":" + f.url().getPort() + "/api/v1/fleet/reports");
        assertThat(Instant.parse(node.getString("fleetPush.lastSuccess"))).isAfter(first.sentAt());
        assertThat(node.getInt("fleetPush.dropped")).isZero();
        assertThat(node.getInt("fleetPush.backlog")).isBetween(0, 3);

        String metrics = given().get(Management.url("/q/metrics")).then().statusCode(200).extract().asString();
        // Prometheus's text format (a label list may end in a comma there).
        assertThat(metrics).containsPattern("hulftark_fleet_pushes_total\\{outcome=\"ok\",?}")
                .containsPattern("hulftark_fleet_pushes_total\\{outcome=\"failed\",?}")
                .contains("hulftark_fleet_backlog").contains("hulftark_fleet_last_success_timestamp_seconds");
    }

    @Test
    void aChangeOfHulenvGoesWithTheNextHeartbeatAndOnlyThen() throws Exception {
        FleetFixture f = fleet();
        Report withFacts = await("facts taken", () -> f.taken().stream().filter(r -> r.facts() != null).findFirst());
        Path conf = Path.of(withFacts.facts().resources().get(0).settings().get("$conf_file"));
        byte[] original = Files.readAllBytes(conf);
        int carriedAt;
        // Heartbeats come every second; those whose facts did not change carry none.
        int seen = f.received.size();
        await("two more reports", () -> Optional.of(f.taken()).filter(t -> t.size() >= seen + 2));
        assertThat(f.taken().stream().filter(r -> r.facts() == null).count()).isPositive();
        try {
            Files.write(conf, concat(original, "\n# moved by the push test\n".getBytes(StandardCharsets.US_ASCII)));
            String changed = sha256(Files.readAllBytes(conf));
            Instant at = Instant.now();
            FleetFixture.Received carried = await("the changed hulenv.cnf pushed", () -> f.received.stream()
                    .filter(r -> r.answered() == 200 && r.report().facts() != null && changed.equals(
                            r.report().facts().resources().get(0).settings().get("hulenv.digest"))).findFirst());
            // With the next heartbeat (1 s here), not at the next preflight (10 min).
            assertThat(Duration.between(at, carried.at())).isLessThan(Duration.ofSeconds(5));
            carriedAt = f.received.indexOf(carried);
        } finally {
            Files.write(conf, original);
        }
        String back = sha256(original);
        await("put back, pushed", () -> f.received.stream().skip(carriedAt + 1)
                .filter(r -> r.answered() == 200 && r.report().facts() != null && back.equals(
                        r.report().facts().resources().get(0).settings().get("hulenv.digest"))).findFirst());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static List<Long> delivered(FleetFixture f) {
        return f.taken().stream().flatMap(r -> r.events().stream()).map(Report.Event::seq).distinct().sorted().toList();
    }
}
