package io.hulftark.agent.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.agent.CheckResult;
import io.hulftark.agent.History;
import io.hulftark.agent.PortCheck;
import io.hulftark.agent.ResourceView;
import io.hulftark.agent.facts.FactsCollector;
import io.hulftark.agent.journal.LineJournal;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;
import io.hulftark.wire.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Facts go with a report only when the fleet view does not have them (issue 13): on start, after a change, again
 * after a failed push; never with a heartbeat whose facts did not change, which stays the same bytes as before.
 */
class FleetPusherFactsTest {

    static final Duration WAIT = Duration.ofSeconds(20); // an upper bound for a hang, never a speed claim
    static final Instant AT = Instant.parse("2026-12-07T03:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final AtomicReference<NodeFacts> facts = new AtomicReference<>(facts("300"));
    private FleetFixture fleet;
    private History history;

    @BeforeEach
    void setUp() throws Exception {
        fleet = new FleetFixture();
        toClose.add(fleet);
        LineJournal journal = new LineJournal(dir.resolve("journal"), LineJournal.MAX_LINE * 16L, 3);
        toClose.add(journal);
        history = new History(journal, 1000);
        history.replay();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void factsGoOnStartAndAfterAChangeButNotWithEveryHeartbeat() throws Exception {
        FleetPusher p = pusher();
        p.start();
        await("three reports", () -> fleet.taken().size() >= 3);

        List<Report> taken = fleet.taken();
        assertThat(taken.get(0).facts()).isEqualTo(facts.get());
        assertThat(taken.subList(1, 3)).allSatisfy(r -> assertThat(r.facts()).isNull());

        facts.set(facts("60"));
        int before = fleet.taken().size();
        p.changed();
        await("the new facts", () -> fleet.taken().stream().skip(before).anyMatch(r -> r.facts() != null));
        List<Report> after = fleet.taken().subList(before, fleet.taken().size());
        assertThat(after.stream().filter(r -> r.facts() != null).toList()).singleElement()
                .satisfies(r -> assertThat(r.facts().resources().get(0).settings())
                        .containsEntry("LKHULFT_TIMEOUT", "60"));
        int now = fleet.taken().size();
        await("a heartbeat after them", () -> fleet.taken().size() > now + 1);
        assertThat(fleet.taken().subList(now, fleet.taken().size())).allSatisfy(r -> assertThat(r.facts()).isNull());
    }

    @Test
    void factsAFailedPushCarriedGoAgain() throws Exception {
        fleet.status = 503;
        FleetPusher p = pusher();
        p.start();
        await("two refused pushes", () -> fleet.received.size() >= 2);
        assertThat(fleet.received).allSatisfy(r -> assertThat(r.report().facts()).isNotNull());

        fleet.status = 200;
        await("taken", () -> !fleet.taken().isEmpty());
        assertThat(fleet.taken().get(0).facts()).isEqualTo(facts.get());
    }

    @Test
    void factsTheFleetViewRefusesAreNotSentAgainUntilTheyChange() throws Exception {
        fleet.judge = r -> r.facts() != null && r.facts().resources().get(0).settings().get("LKHULFT_TIMEOUT")
                .equals("300") ? new FleetFixture.Answer(422, "{\"status\":422,\"detail\":\"facts refused\"}") : null;
        FleetPusher p = pusher();
        p.start();
        await("the state taken without the refused facts", () -> !fleet.taken().isEmpty());
        assertThat(fleet.taken().get(0).facts()).isNull();
        assertThat(fleet.received.stream().filter(r -> r.report().facts() != null).count()).isEqualTo(1);

        facts.set(facts("60"));
        p.changed();
        await("the changed facts taken", () -> fleet.taken().stream().anyMatch(r -> r.facts() != null));
    }

    @Test
    void aHeartbeatWithoutChangedFactsIsTheSameBytesAsBeforeFacts() throws Exception {
        Clock fixed = Clock.fixed(AT, ZoneOffset.UTC);
        AgentReports before = new AgentReports("c1", "node-a", "1.2.3", AT, FleetPusherFactsTest::resources, history,
                fixed, Map.of("site", "osaka"), true, "direct");
        AgentReports now = new AgentReports("c1", "node-a", "1.2.3", AT, FleetPusherFactsTest::resources, history,
                fixed, Map.of("site", "osaka"), true, "direct", facts::get);

        byte[] old = JSON.writeValueAsBytes(before.report(List.of(), 0));
        byte[] heartbeat = JSON.writeValueAsBytes(now.report(List.of(), 0, facts.get().digest()));
        byte[] withFacts = JSON.writeValueAsBytes(now.report(List.of(), 0, null));

        assertThat(heartbeat.length).as("bytes of a heartbeat without changed facts").isEqualTo(old.length);
        assertThat(new String(heartbeat).replace(now.instance(), "I"))
                .isEqualTo(new String(old).replace(before.instance(), "I"));
        assertThat(withFacts.length).isGreaterThan(old.length);
    }

    @Test
    void aPollingFleetViewGetsTheFactsOnlyWhenItsDigestIsNotTheirs() {
        AgentReports reports = new AgentReports("c1", "node-a", "1.2.3", AT, FleetPusherFactsTest::resources, history,
                Clock.systemUTC(), Map.of(), false, "direct", facts::get);

        assertThat(reports.after(0).facts()).isEqualTo(facts.get());
        assertThat(reports.after(0, facts.get().digest()).facts()).isNull();
        assertThat(reports.after(0, "0".repeat(64)).facts()).isEqualTo(facts.get());
    }

    private FleetPusher pusher() {
        AgentReports reports = new AgentReports("c1", "node-a", "1.2.3", AT, FleetPusherFactsTest::resources, history,
                Clock.systemUTC(), Map.of(), false, "direct", facts::get);
        FleetPusher p = new FleetPusher(new FleetPusher.Settings(fleet.url(), "hak_reporter-token-for-tests",
                Duration.ofSeconds(1), 100, Duration.ofSeconds(2)), reports, Clock.systemUTC());
        toClose.add(p);
        return p;
    }

    private static List<ResourceView> resources() {
        return List.of(new ResourceView("hulft", "HULFT Service", Status.RUNNING, AT, "every port answers", "active",
                new CheckResult("hulft", "HULFT Service", AT, 1200, Status.RUNNING, "every port answers", "RUNNING",
                        "active", List.of(new PortCheck("rcvport", 30000, true, "0", 350, null)))));
    }

    private static NodeFacts facts(String timeout) {
        NodeFacts bare = new NodeFacts(null, AT, "1.2.3", "Linux", "6.1", "17.0.13 (Eclipse Adoptium)", "node-a",
                "linux", true, null, List.of(new NodeFacts.ResourceFacts("hulft",
                Map.of("service", "HULFT Service", "LKHULFT_TIMEOUT", timeout), List.of())), null);
        return new NodeFacts(FactsCollector.digest(bare), AT, bare.agentVersion(), bare.os(), bare.osVersion(),
                bare.jvm(), bare.host(), bare.platform(), bare.lifekeeper(), null, bare.resources(), null);
    }

    private static void await(String what, BooleanSupplier until) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!until.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
