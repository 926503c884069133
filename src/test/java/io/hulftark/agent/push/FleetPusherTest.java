package io.hulftark.agent.push;

import io.hulftark.agent.CheckResult;
import io.hulftark.agent.Event;
import io.hulftark.agent.History;
import io.hulftark.agent.PortCheck;
import io.hulftark.agent.ResourceState;
import io.hulftark.agent.ResourceView;
import io.hulftark.wire.Status;
import io.hulftark.agent.journal.LineJournal;
import io.hulftark.wire.Report;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The pusher over real HTTP against {@link FleetFixture}, with a real History over a real journal. */
class FleetPusherTest {

    static final String TOKEN = "hak_reporter-token-for-tests";
    static final Instant STARTED = Instant.parse("2026-11-25T10:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(20); // an upper bound for a hang, never a speed claim

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<ResourceView> resources = new CopyOnWriteArrayList<>();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final java.util.logging.Logger log = java.util.logging.Logger.getLogger(FleetPusher.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private FleetFixture fleet;
    private History history;

    @BeforeEach
    void setUp() throws IOException {
        log.addHandler(capture);
        fleet = new FleetFixture();
        toClose.add(fleet);
        history = history();
        Instant at = Instant.parse("2026-11-25T10:00:01Z");
        resources.add(new ResourceView("hulft", "HULFT Service", Status.RUNNING, at, "every port answers", "active",
                new CheckResult("hulft", "HULFT Service", at, 1200, Status.RUNNING, "every port answers", "RUNNING",
                        "active", List.of(new PortCheck("rcvport", 30000, true, "0", 350, null),
                        new PortCheck("obsport", 31000, true, "0", 420, null)))));
    }

    @AfterEach
    void tearDown() throws Exception {
        log.removeHandler(capture);
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** The History over the journal in {@code dir}, as an agent (re)starting on it has it. */
    private History history() throws IOException {
        LineJournal journal = new LineJournal(dir.resolve("journal"), LineJournal.MAX_LINE * 16L, 3);
        toClose.add(journal);
        History h = new History(journal, 20_000);
        h.replay();
        return h;
    }

    private FleetPusher pusher(Duration heartbeat, int backlog) {
        AgentReports reports = new AgentReports("c1", "node-a", "1.2.3", STARTED, () -> List.copyOf(resources), history,
                Clock.systemUTC());
        FleetPusher p = new FleetPusher(new FleetPusher.Settings(fleet.url(), TOKEN, heartbeat, backlog,
                Duration.ofSeconds(2)), reports, Clock.systemUTC());
        toClose.add(p);
        return p;
    }

    private Event transition(FleetPusher p, Status from, Status to, String reason) {
        Event e = history.transition(new ResourceState.Transition("hulft", from, to, Instant.now(), reason));
        if (p != null) {
            p.recorded(e);
        }
        return e;
    }

    private static void await(String what, BooleanSupplier until) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!until.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private List<String> warnings() {
        return logged.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(r -> ((org.jboss.logmanager.ExtLogRecord) r).getFormattedMessage()).toList();
    }

    private List<Long> deliveredSeqs() {
        return fleet.taken().stream().flatMap(r -> r.events().stream()).map(Report.Event::seq).distinct().sorted().toList();
    }

    @Test
    void sendsTheFullStateWithTheBearerToken() throws Exception {
        transition(null, Status.UNKNOWN, Status.RUNNING, "every port answers");
        FleetPusher p = pusher(Duration.ofSeconds(10), 100);
        p.start();
        await("a first report", () -> !fleet.taken().isEmpty());

        FleetFixture.Received first = fleet.received.get(0);
        assertThat(first.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(first.contentType()).isEqualTo("application/json");
        // ISO instants, not numbers, on the wire.
        assertThat(first.body()).contains("\"agentStartedAt\":\"2026-11-25T10:00:00Z\"");
        Report r = first.report();
        assertThat(r.cluster()).isEqualTo("c1");
        assertThat(r.node()).isEqualTo("node-a");
        assertThat(r.agentVersion()).isEqualTo("1.2.3");
        assertThat(r.agentStartedAt()).isEqualTo(STARTED);
        assertThat(r.seq()).isPositive();
        assertThat(r.sentAt()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(5, java.time.temporal.ChronoUnit.SECONDS));
        assertThat(r.dropped()).isZero();
        assertThat(r.resources()).singleElement().satisfies(res -> {
            assertThat(res.tag()).isEqualTo("hulft");
            assertThat(res.service()).isEqualTo("HULFT Service");
            assertThat(res.status()).isEqualTo(Status.RUNNING);
            assertThat(res.role()).isEqualTo("active");
            assertThat(res.checkedAt()).isEqualTo(Instant.parse("2026-11-25T10:00:01Z"));
            assertThat(res.ports()).extracting(Report.Port::port).containsExactly(30000, 31000);
            assertThat(res.ports().get(0).latencyMicros()).isEqualTo(350);
        });
        assertThat(r.events()).singleElement().satisfies(e -> {
            assertThat(e.seq()).isEqualTo(1);
            assertThat(e.type()).isEqualTo("transition");
            assertThat(e.tag()).isEqualTo("hulft");
            assertThat(e.text()).isEqualTo("UNKNOWN → RUNNING: every port answers");
        });
        await("the answer seen by the pusher", () -> p.succeeded() == 1);
        assertThat(p.backlog()).isZero();
        assertThat(p.lastSuccess()).isNotNull();
    }

    @Test
    void aStatusChangeIsPushedAtOnceAndHeartbeatsFollow() throws Exception {
        FleetPusher p = pusher(Duration.ofSeconds(1), 100);
        p.start();
        await("a first report", () -> fleet.taken().size() == 1);
        Thread.sleep(200);
        long before = System.nanoTime();
        transition(p, Status.RUNNING, Status.FAILED, "port 30000 does not answer");
        await("the change pushed", () -> fleet.taken().stream().anyMatch(r -> !r.events().isEmpty()));
        long millis = (System.nanoTime() - before) / 1_000_000;
        assertThat(millis).as("a change reaches the fleet view at once, not at the heartbeat").isLessThan(1000);
        assertThat(fleet.taken().stream().filter(r -> !r.events().isEmpty()).findFirst().orElseThrow().events())
                .extracting(Report.Event::text).containsExactly("RUNNING → FAILED: port 30000 does not answer");

        // Nothing changes now: one report a second, each with a higher seq and the same state.
        int now = fleet.taken().size();
        Thread.sleep(3500);
        List<Report> later = fleet.taken().subList(now, fleet.taken().size());
        assertThat(later).hasSizeBetween(2, 4); // 3 on an idle machine; a loaded one may lose one
        assertThat(later).allSatisfy(r -> assertThat(r.events()).isEmpty());
        assertThat(fleet.taken()).extracting(Report::seq).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void neverTwoRequestsInFlightAndChangesAreCoalesced() throws Exception {
        fleet.delayMillis = 300;
        FleetPusher p = pusher(Duration.ofSeconds(10), 1000);
        p.start();
        for (int i = 0; i < 60; i++) {
            transition(p, i % 2 == 0 ? Status.RUNNING : Status.FAILED, i % 2 == 0 ? Status.FAILED : Status.RUNNING,
                    "change " + i);
            Thread.sleep(25);
        }
        await("every change delivered", () -> deliveredSeqs().size() == 60);
        Thread.sleep(500); // a request the last change might still start
        assertThat(fleet.maxInFlight.get()).isEqualTo(1);
        // 60 changes in 1.5 s against 300 ms answers: a handful of requests, not one per change.
        assertThat(fleet.received.size()).isBetween(3, 10);
        assertThat(deliveredSeqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, 60).boxed().toList());
    }

    @Test
    void anOutageLosesNothingWithinTheBacklog() throws Exception {
        FleetPusher p = pusher(Duration.ofSeconds(2), 10_000);
        p.start();
        await("a first report", () -> fleet.taken().size() == 1);
        fleet.down();
        for (int i = 0; i < 1200; i++) {
            transition(p, Status.RUNNING, Status.FAILED, "outage change " + i);
        }
        await("pushes failing", () -> p.failed() >= 2);
        assertThat(p.backlog()).isEqualTo(1200);
        int before = fleet.received.size();
        fleet.up();
        await("the backlog delivered", () -> deliveredSeqs().size() == 1200 && p.backlog() == 0);
        List<Report> after = fleet.taken().subList(before, fleet.taken().size());
        assertThat(after).allSatisfy(r -> assertThat(r.events().size()).isLessThanOrEqualTo(500));
        // In seq order, each once, none dropped: the first three reports after the outage carry 500, 500, 200.
        List<Long> inOrder = after.stream().flatMap(r -> r.events().stream()).map(Report.Event::seq).toList();
        assertThat(inOrder).containsExactlyElementsOf(LongStream.rangeClosed(1, 1200).boxed().toList());
        assertThat(after).allSatisfy(r -> assertThat(r.dropped()).isZero());
        // One warning per cause (the request cut by the outage, then refused connections), whatever the retries.
        List<String> warnings = warnings();
        assertThat(warnings).doesNotHaveDuplicates().hasSizeBetween(1, 2).hasSizeLessThan((int) p.failed());
        assertThat(warnings.get(warnings.size() - 1)).contains("connection refused");
    }

    @Test
    void beyondTheBacklogTheOldestAreDroppedAndCounted() throws Exception {
        FleetPusher p = pusher(Duration.ofSeconds(2), 100);
        fleet.down();
        p.start();
        for (int i = 0; i < 250; i++) {
            transition(p, Status.RUNNING, Status.FAILED, "change " + i);
        }
        await("pushes failing", () -> p.failed() >= 1);
        assertThat(p.backlog()).isEqualTo(100);
        fleet.up();
        await("the newest 100 delivered", () -> deliveredSeqs().size() == 100);
        assertThat(deliveredSeqs()).containsExactlyElementsOf(LongStream.rangeClosed(151, 250).boxed().toList());
        assertThat(fleet.taken().get(0).dropped()).isEqualTo(150);
        assertThat(p.dropped()).isEqualTo(150);
    }

    @Test
    void anAgentRestartDuringAnOutageLosesNothing() throws Exception {
        fleet.down();
        FleetPusher first = pusher(Duration.ofSeconds(1), 10_000);
        first.start();
        for (int i = 0; i < 30; i++) {
            transition(first, Status.RUNNING, Status.FAILED, "before the restart " + i);
        }
        await("pushes failing", () -> first.failed() >= 1);
        first.close();

        history = history(); // the restarted agent: its History is what the journal gives back
        FleetPusher second = pusher(Duration.ofSeconds(1), 10_000);
        second.start();
        transition(second, Status.FAILED, Status.RUNNING, "after the restart");
        fleet.up();
        await("everything delivered", () -> deliveredSeqs().size() == 31);
        assertThat(deliveredSeqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, 31).boxed().toList());
    }

    @Test
    void a401IsLoggedOnceAndRetriedAtTheHeartbeat() throws Exception {
        fleet.status = 401;
        fleet.answer = "{\"type\":\"https://hulft-ark.io/problems/unauthorized\",\"status\":401,"
                + "\"detail\":\"unknown token (tokens are made with 'hulft-ark token new')\"}";
        FleetPusher p = pusher(Duration.ofSeconds(1), 100);
        p.start();
        Thread.sleep(3500);
        assertThat(fleet.received.size()).as("tries on at the heartbeat, not faster").isBetween(2, 5);
        assertThat(warnings()).singleElement().satisfies(w -> assertThat(w).contains("401").contains("unknown token"));

        fleet.status = 200;
        await("taken once the token is right", () -> !fleet.taken().isEmpty());
        assertThat(p.failed()).isGreaterThanOrEqualTo(2);
    }

    private static FleetFixture.Answer problem(int status, String detail) {
        return new FleetFixture.Answer(status, "{\"type\":\"https://hulft-ark.io/problems/invalid-report\",\"status\":"
                + status + ",\"detail\":\"" + detail + "\"}");
    }

    private static boolean holds(Report r, long seq) {
        return r.events().stream().anyMatch(e -> e.seq() == seq);
    }

    private long sentWith(long seq) {
        return fleet.received.stream().filter(r -> r.report() != null && holds(r.report(), seq)).count();
    }

    /** Issue 11: a 422 for one event's content once stopped every report of the agent, for good. */
    @Test
    void anEventTheFleetViewRefusesIsSetAsideOnceAndTheRestFlow() throws Exception {
        fleet.judge = r -> holds(r, 3) ? problem(422, "events[2].type must be transition or action (event seq 3)") : null;
        for (int i = 0; i < 5; i++) {
            transition(null, Status.RUNNING, Status.FAILED, "change " + i);
        }
        FleetPusher p = pusher(Duration.ofSeconds(1), 100);
        p.start();
        await("the others delivered", () -> deliveredSeqs().equals(List.of(1L, 2L, 4L, 5L)));
        transition(p, Status.FAILED, Status.RUNNING, "after it");
        await("later events flow", () -> deliveredSeqs().contains(6L));
        Thread.sleep(1500);
        assertThat(sentWith(3)).as("never sent again").isEqualTo(1);
        assertThat(p.dropped()).isEqualTo(1);
        assertThat(fleet.taken().get(fleet.taken().size() - 1).dropped()).isEqualTo(1);
        assertThat(history.since(e -> e.seq() == 3, 1)).as("kept in the agent's own history").hasSize(1);
        assertThat(warnings()).filteredOn(w -> w.contains("set aside")).singleElement()
                .satisfies(w -> assertThat(w).contains("event 3").contains("422"));
        assertThat(p.backlog()).isZero();
    }

    /** The newest event refused: set aside, and the pusher goes back to its heartbeat rather than loop. */
    @Test
    void theNewestEventRefusedLeavesNoLoop() throws Exception {
        fleet.judge = r -> holds(r, 2) ? problem(422, "events[1].tag holds U+202E (event seq 2)") : null;
        transition(null, Status.RUNNING, Status.FAILED, "one");
        transition(null, Status.FAILED, Status.RUNNING, "two");
        FleetPusher p = pusher(Duration.ofSeconds(1), 100);
        p.start();
        await("the first delivered and the second set aside", () -> deliveredSeqs().equals(List.of(1L))
                && p.dropped() == 1);
        int before = fleet.received.size();
        Thread.sleep(3000);
        assertThat(fleet.received.size() - before).as("heartbeats, not a loop").isBetween(1, 5);
        assertThat(p.backlog()).isZero();
        assertThat(sentWith(2)).isEqualTo(1);
    }

    /** A refusal naming no event: the batch is halved until the one refused event is alone, then set aside. */
    @Test
    void aRefusalNamingNoEventFindsTheEventByHalving() throws Exception {
        fleet.judge = r -> r.events().stream().anyMatch(e -> e.text().contains("poison"))
                ? problem(400, "the body does not parse") : null;
        for (int i = 1; i <= 40; i++) {
            transition(null, Status.RUNNING, Status.FAILED, i == 23 ? "poison" : "change " + i);
        }
        FleetPusher p = pusher(Duration.ofSeconds(1), 100);
        p.start();
        await("all but the refused one delivered", () -> deliveredSeqs().size() == 39);
        assertThat(deliveredSeqs()).doesNotContain(23L);
        Thread.sleep(1200);
        assertThat(sentWith(23)).as("a few halvings, not a loop").isBetween(1L, 8L);
        assertThat(p.dropped()).isEqualTo(1);
        transition(p, Status.FAILED, Status.RUNNING, "after it");
        await("later events flow", () -> deliveredSeqs().contains(41L));
    }

    @Test
    void a413SplitsTheBatchAndLosesNothing() throws Exception {
        fleet.judge = r -> r.events().size() > 3 ? problem(413, "the report is too large") : null;
        for (int i = 0; i < 20; i++) {
            transition(null, Status.RUNNING, Status.FAILED, "change " + i);
        }
        FleetPusher p = pusher(Duration.ofSeconds(1), 100);
        p.start();
        await("everything delivered", () -> deliveredSeqs().size() == 20);
        assertThat(p.dropped()).isZero();
        assertThat(fleet.taken()).allSatisfy(r -> assertThat(r.events().size()).isLessThanOrEqualTo(3));
    }

    /** When the state alone is refused too, the events are not to blame: none is set aside, all wait. */
    @Test
    void aRefusedStateSetsNoEventAside() throws Exception {
        fleet.judge = r -> problem(422, "cluster is not a name");
        for (int i = 0; i < 4; i++) {
            transition(null, Status.RUNNING, Status.FAILED, "change " + i);
        }
        FleetPusher p = pusher(Duration.ofSeconds(1), 100);
        p.start();
        Thread.sleep(3000);
        assertThat(p.dropped()).isZero();
        assertThat(p.backlog()).isEqualTo(4);
        assertThat(fleet.received.size()).as("at the heartbeat, not in a loop").isLessThan(15);
        fleet.judge = null;
        await("everything delivered once the fleet view takes it", () -> deliveredSeqs().size() == 4);
        assertThat(p.dropped()).isZero();
    }

    /** What the fleet view's rule refuses (a bidi override in a tag) is never sent: the agent checks first. */
    @Test
    void anEventItsOwnCheckRefusesIsNeverSent() throws Exception {
        history.transition(new ResourceState.Transition("hul\u202Eft", Status.RUNNING, Status.FAILED, Instant.now(), "x"));
        transition(null, Status.FAILED, Status.RUNNING, "fine");
        FleetPusher p = pusher(Duration.ofSeconds(1), 100);
        p.start();
        await("the good one delivered", () -> deliveredSeqs().equals(List.of(2L)));
        assertThat(sentWith(1)).isZero();
        assertThat(p.dropped()).isEqualTo(1);
        assertThat(warnings()).filteredOn(w -> w.contains("set aside")).singleElement()
                .satisfies(w -> assertThat(w).contains("own check").contains("U+202E"));
    }

    @Test
    void closeEndsItsThreads() throws Exception {
        // Others' pushers may run in this JVM (a Quarkus test's agent): only this one's threads count.
        java.util.Set<Thread> before = pushThreads();
        FleetPusher p = pusher(Duration.ofSeconds(1), 100);
        p.start();
        await("a first report", () -> !fleet.taken().isEmpty());
        assertThat(pushThreads()).hasSizeGreaterThan(before.size());
        p.close();
        assertThat(pushThreads()).isSubsetOf(before);
        int seen = fleet.received.size();
        Thread.sleep(1500);
        assertThat(fleet.received).hasSize(seen);
    }

    private static java.util.Set<Thread> pushThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("fleet-push") && t.isAlive())
                .collect(java.util.stream.Collectors.toSet());
    }
}
