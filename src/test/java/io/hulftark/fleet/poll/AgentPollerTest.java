package io.hulftark.fleet.poll;

import io.agroal.api.AgroalDataSource;
import io.hulftark.agent.push.PushAgentResource;
import io.hulftark.wire.ReportValidator;
import io.hulftark.fleet.actions.OrderBook;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.fleet.store.TestDatabases;
import io.hulftark.fleet.view.ClusterDetail;
import io.hulftark.fleet.view.FleetEvent;
import io.hulftark.fleet.view.FleetNode;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import java.time.Instant;
import io.hulftark.wire.Report;
import io.hulftark.fleet.report.ReportSink;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.store.IngestResult;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static io.hulftark.agent.push.PushAgentResource.CLUSTER;
import static io.hulftark.agent.push.PushAgentResource.NODE;
import static io.hulftark.agent.push.PushAgentResource.OPERATOR;
import static io.hulftark.agent.push.PushAgentResource.OPERATOR_TOKEN;
import static io.hulftark.agent.push.PushAgentResource.TAG;
import static io.hulftark.agent.push.PushAgentResource.VIEWER_TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The poller against a real agent's HTTP port (the agent of {@link PushAgentResource}), and against dead ends. */
@QuarkusTest
@TestProfile(PushAgentResource.Profile.class)
class AgentPollerTest {

    static final Duration WAIT = Duration.ofSeconds(40); // an action of the simulation starts JVMs: generous

    @TestHTTPResource("/")
    URL agent;

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final java.util.logging.Logger log = java.util.logging.Logger.getLogger(AgentPoller.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(((org.jboss.logmanager.ExtLogRecord) r).getFormattedMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Keeps every report it is given, per agent identity. */
    static final class Collecting implements ReportSink {
        final List<Report> reports = new CopyOnWriteArrayList<>();

        @Override
        public IngestResult accept(Report report) {
            reports.add(report);
            return new IngestResult(IngestResult.Outcome.ACCEPTED, report.events().size(), ClusterState.OK, false);
        }

        List<Long> seqs() {
            return reports.stream().flatMap(r -> r.events().stream()).map(Report.Event::seq).toList();
        }
    }

    @BeforeEach
    void capture() {
        log.addHandler(capture);
    }

    @AfterEach
    void tearDown() throws Exception {
        log.removeHandler(capture);
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private AgentPoller poller(ReportSink sink, AgentPoller.Target... targets) {
        AgentPoller p = new AgentPoller(List.of(targets), Duration.ofSeconds(1), Duration.ofSeconds(2), sink);
        toClose.add(p);
        p.start();
        return p;
    }

    private AgentPoller.Target real(String name, String token) throws Exception {
        return new AgentPoller.Target(name, agent.toURI(), token);
    }

    static List<Long> historySeqs() {
        return given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/events?limit=1000")
                .then().statusCode(200).extract().jsonPath().getList("seq", Long.class);
    }

    static void await(String what, BooleanSupplier until) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!until.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void stateAndEventsArriveEachOnceAndAfterAdvances() throws Exception {
        await("a first transition", () -> !historySeqs().isEmpty());
        Collecting sink = new Collecting();
        AgentPoller p = poller(sink, real("n1", VIEWER_TOKEN));
        await("the history polled", () -> sink.seqs().containsAll(historySeqs()));
        Report r = sink.reports.get(0);
        assertThat(r.cluster()).isEqualTo(CLUSTER);
        assertThat(r.node()).isEqualTo(NODE);
        assertThat(r.resources()).extracting(Report.Resource::tag).containsExactly(TAG);
        assertThat(p.after("n1")).isEqualTo(sink.seqs().get(sink.seqs().size() - 1));

        // Something happens on the agent: the next polls bring it, and only it.
        given().header("Authorization", "Bearer " + OPERATOR_TOKEN).contentType("application/json")
                .body("{\"action\": \"quickCheck\", \"reason\": \"poll test\"}")
                .post("/api/v1/resources/{tag}/actions", TAG).then().statusCode(202);
        await("the action's end polled", () -> sink.reports.stream().flatMap(x -> x.events().stream())
                .anyMatch(e -> e.text().startsWith("quickCheck by " + OPERATOR + ": ") && e.text().contains("(exit ")));
        assertThat(sink.seqs()).as("each event once, in order").isSorted().doesNotHaveDuplicates();
        assertThat(p.after("n1")).isEqualTo(sink.seqs().get(sink.seqs().size() - 1));
        // Heartbeats go on with no news: reports with the state and no events.
        int before = sink.reports.size();
        await("two more polls", () -> sink.reports.size() >= before + 2);
        assertThat(warnings).isEmpty();
    }

    @Test
    void anUnreachableAgentOrAWrongTokenIsOneLogLineAndTheOthersArePolled() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        Collecting sink = new Collecting();
        AgentPoller p = poller(sink, new AgentPoller.Target("gone", URI.create("http://127.0.0.1:" + dead), "hak_x"),
                real("wrong", "hak_not-a-token"), real("good", VIEWER_TOKEN));
        await("the good agent polled five times", () -> sink.reports.size() >= 5);
        assertThat(sink.reports).allSatisfy(r -> assertThat(r.node()).isEqualTo(NODE));
        assertThat(warnings).hasSize(2);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("gone").contains("connection refused"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("wrong").contains("401").contains("unknown token"));
        assertThat(p.after("gone")).isZero();
        assertThat(p.after("wrong")).isZero();
        assertThat(p.after("good")).isPositive();
        // Which node each target is (where its fleet actions go): known from its first report taken, not before.
        assertThat(p.reportsAs("good")).contains(new OrderBook.NodeKey(CLUSTER, NODE));
        assertThat(p.reportsAs("gone")).isEmpty();
        assertThat(p.reportsAs("wrong")).isEmpty();
        assertThat(p.reportsAs("not-configured")).isEmpty();
    }

    @Test
    void intoTheRealStoreEachEventOnceEvenAfterAFleetViewRestart() throws Exception {
        await("a first transition", () -> !historySeqs().isEmpty());
        AgroalDataSource pool = TestDatabases.h2(dir.resolve("fleet"), 4);
        toClose.add(pool::close);
        JdbcFleetStore store = new JdbcFleetStore(pool, JdbcFleetStore.Dialect.H2, Duration.ofSeconds(35),
                Duration.ofMinutes(10), 4);
        toClose.add(store::close);
        ReportSink ingest = report -> {
            ReportValidator.problem(report).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
            return store.ingest(report, Instant.now());
        };
        AgentPoller first = poller(ingest, real("n1", VIEWER_TOKEN));
        await("the history stored", () -> agentEvents(store).size() >= historySeqs().size());
        first.close();
        // A restarted fleet view polls from after=0 again: the store takes nothing twice.
        AgentPoller second = poller(ingest, real("n1", VIEWER_TOKEN));
        await("polled again", () -> second.after("n1") > 0);
        ClusterDetail detail = store.cluster(CLUSTER, 1000, Instant.now()).orElseThrow();
        assertThat(detail.nodes()).extracting(FleetNode::node).containsExactly(NODE);
        assertThat(detail.nodes().get(0).resources()).extracting(Report.Resource::tag).containsExactly(TAG);
        List<String> texts = agentEvents(store).stream().map(e -> e.at() + " " + e.text()).toList();
        assertThat(texts).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(historySeqs().size());
        assertThat(warnings).isEmpty();
    }

    private static List<FleetEvent> agentEvents(JdbcFleetStore store) {
        return store.cluster(CLUSTER, 1000, Instant.now()).map(d -> d.history().stream()
                .filter(e -> FleetEvent.TRANSITION.equals(e.kind()) || FleetEvent.ACTION.equals(e.kind())).toList())
                .orElse(List.of());
    }

    @Test
    void aReportTheSinkRefusesIsAskedForAgain() throws Exception {
        await("a first transition", () -> !historySeqs().isEmpty());
        AtomicInteger calls = new AtomicInteger();
        Collecting kept = new Collecting();
        AgentPoller p = poller(report -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("the store is not ready");
            }
            return kept.accept(report);
        }, real("n1", VIEWER_TOKEN));
        await("a report taken", () -> !kept.reports.isEmpty());
        // Nothing was lost to the refusals: the first report taken starts where the agent's history starts.
        assertThat(kept.reports.get(0).events()).isNotEmpty();
        assertThat(kept.reports.get(0).events().get(0).seq()).isEqualTo(historySeqs().get(0));
        assertThat(warnings).singleElement().satisfies(w -> assertThat(w).contains("not taken").contains("not ready"));
        assertThat(p.after("n1")).isPositive();
    }
}
