package io.hulftark.fleet.notify;

import io.agroal.api.AgroalDataSource;
import io.hulftark.wire.Status;
import io.hulftark.wire.Report;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.state.Maintenance;
import io.hulftark.fleet.store.JdbcFleetStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.hulftark.wire.Status.RUNNING;
import static io.hulftark.wire.Status.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notifications end to end on a real store (H2 file or PostgreSQL server) and a real HTTP receiver on a loopback
 * port: reports go in through the store as ingest takes them, the dispatcher's rounds run as the service runs them.
 */
abstract class NotificationsContract {

    static final String SECRET = "hmac-secret-" + UUID.randomUUID();
    static final String TOKEN = "tok" + UUID.randomUUID().toString().replace("-", "");

    protected abstract AgroalDataSource pool();

    protected abstract JdbcFleetStore.Dialect dialect();

    protected abstract void dropDatabase();

    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    final AtomicLong seq = new AtomicLong(1);
    final List<AgroalDataSource> pools = new ArrayList<>();
    AgroalDataSource ds;
    JdbcFleetStore store;
    TestReceiver receiver;

    @BeforeEach
    void open() {
        ds = pool();
        pools.add(ds);
        store = store(ds);
        receiver = new TestReceiver(SECRET, "/hook/" + TOKEN, clock::instant);
    }

    @AfterEach
    void close() {
        receiver.close();
        pools.forEach(AgroalDataSource::close);
        dropDatabase();
    }

    static JdbcFleetStore store(AgroalDataSource ds) {
        // Fresh for a day: the test moves the clock by hours, and a node must not go silent by it.
        JdbcFleetStore s = new JdbcFleetStore(ds, dialectOf(ds), Duration.ofDays(1), Duration.ofMinutes(10), 100);
        s.recordStateChanges(true);
        return s;
    }

    private static JdbcFleetStore.Dialect dialectOf(AgroalDataSource ds) {
        return ds.getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration().jdbcUrl()
                .startsWith("jdbc:postgresql") ? JdbcFleetStore.Dialect.POSTGRESQL : JdbcFleetStore.Dialect.H2;
    }

    Dispatcher dispatcher(JdbcFleetStore on, AgroalDataSource pool, String instance, Duration repeat, int foldAbove,
                          Duration lease) {
        Dispatcher.Receiver r = new Dispatcher.Receiver("ops", new Filter(Set.of(ClusterState.DOWN, ClusterState.SPLIT,
                ClusterState.STALE, ClusterState.DEGRADED), List.of("*"), Map.of()), repeat, foldAbove,
                Duration.ofSeconds(8), new HttpTransport(false, receiver.url(), java.util.Optional.of(SECRET),
                Duration.ofSeconds(5), clock));
        return new Dispatcher(new JdbcOutbox(pool), List.of(r),
                names -> on.rows(names, clock.instant()), clock, instance, lease,
                new Redactor(List.of(SECRET, receiver.url().toString(), receiver.url().getRawPath())));
    }

    Dispatcher dispatcher() {
        return dispatcher(store, ds, "test-" + UUID.randomUUID(), Duration.ZERO, 10, Duration.ofSeconds(60));
    }

    /** n1 active (or not), n2 standby: RUNNING/STOPPED is OK, STOPPED/STOPPED is DOWN, RUNNING/RUNNING is SPLIT. */
    void cluster(JdbcFleetStore on, String cluster, Status n1, Status n2) {
        on.ingest(report(cluster, "n1", n1), clock.instant());
        on.ingest(report(cluster, "n2", n2), clock.instant());
    }

    void cluster(String cluster, Status n1, Status n2) {
        cluster(store, cluster, n1, n2);
    }

    Report report(String cluster, String node, Status status) {
        Instant now = clock.instant();
        String role = status == RUNNING ? "active" : "standby";
        Report.Resource r = new Report.Resource("HULFT", "HULFT8 Service", status, role, now.minusSeconds(600), null,
                now, List.of(new Report.Port("rcvport", 30000, status == RUNNING, 250, null)));
        return new Report(cluster, node, "1.0.0", clock.instant().minusSeconds(3600), seq.incrementAndGet(), now,
                List.of(r), List.of(), 0);
    }

    static void rounds(Dispatcher d, int n) {
        for (int i = 0; i < n; i++) {
            d.fanOut();
            d.receivers().forEach(d::deliver);
        }
    }

    ClusterState state(String cluster) {
        return store.cluster(cluster, 0, clock.instant()).orElseThrow().cluster().state();
    }

    @Test
    void oneSignedMessagePerProblemAndOneResolved() {
        Dispatcher d = dispatcher();
        cluster("alpha", RUNNING, STOPPED);
        rounds(d, 2);
        assertThat(receiver.received).as("a new OK cluster is no news").isEmpty();

        cluster("alpha", STOPPED, STOPPED);
        assertThat(state("alpha")).isEqualTo(ClusterState.DOWN);
        rounds(d, 2);
        cluster("alpha", STOPPED, STOPPED); // still DOWN: no second message
        rounds(d, 2);
        cluster("alpha", RUNNING, STOPPED);
        rounds(d, 2);

        assertThat(receiver.changes()).containsExactly("alpha PROBLEM DOWN", "alpha RESOLVED OK");
        assertThat(receiver.received).allMatch(TestReceiver.Received::signatureValid);
        TestReceiver.Received first = receiver.received.get(0);
        assertThat(first.kind()).isEqualTo("PROBLEM");
        assertThat(first.body().path("changes").get(0).path("previousState").asText()).isEqualTo("OK");
        assertThat(first.body().path("text").asText()).startsWith("alpha is DOWN (was OK)");
        assertThat(first.delivery()).isEqualTo(first.body().path("delivery").asText()).startsWith("ops-");
        assertThat(d.status()).singleElement().satisfies(s -> {
            assertThat(s.sent()).isEqualTo(2);
            assertThat(s.pending()).isZero();
        });
    }

    @Test
    void aRepeatWhileTheProblemLastsAndNoneAfterItEnded() {
        Dispatcher d = dispatcher(store, ds, "repeat", Duration.ofMinutes(10), 10, Duration.ofSeconds(60));
        cluster("gamma", RUNNING, STOPPED);
        cluster("gamma", RUNNING, RUNNING);
        rounds(d, 1);
        clock.advance(Duration.ofMinutes(5));
        rounds(d, 1);
        assertThat(receiver.changes()).containsExactly("gamma PROBLEM SPLIT");
        clock.advance(Duration.ofMinutes(6));
        rounds(d, 1);
        assertThat(receiver.changes()).containsExactly("gamma PROBLEM SPLIT", "gamma REPEAT SPLIT");
        cluster("gamma", RUNNING, STOPPED);
        clock.advance(Duration.ofMinutes(11));
        rounds(d, 2);
        assertThat(receiver.changes()).containsExactly("gamma PROBLEM SPLIT", "gamma REPEAT SPLIT",
                "gamma RESOLVED OK");
    }

    @Test
    void nothingForAClusterInMaintenance() {
        Dispatcher d = dispatcher();
        cluster("delta", RUNNING, STOPPED);
        store.addMaintenance("delta", new Maintenance(clock.instant().minusSeconds(60), clock.instant().plusSeconds(3600),
                "patching"), "alice", clock.instant());
        cluster("delta", STOPPED, STOPPED);
        rounds(d, 3);
        cluster("delta", RUNNING, RUNNING);
        rounds(d, 3);
        assertThat(receiver.attempts).hasValue(0);
        // The same cluster outside the window is told: the test above could fail.
        cluster("epsilon", RUNNING, STOPPED);
        cluster("epsilon", STOPPED, STOPPED);
        rounds(d, 2);
        assertThat(receiver.changes()).containsExactly("epsilon PROBLEM DOWN");
    }

    @Test
    void nothingForAnAcknowledgedProblemUntilTheAcknowledgementEnds() {
        Dispatcher d = dispatcher();
        cluster("zeta", RUNNING, STOPPED);
        rounds(d, 1);
        cluster("zeta", STOPPED, STOPPED); // DOWN; acknowledged before the fan-out sees the change
        store.acknowledge("zeta", "alice", "on it", clock.instant().plusSeconds(300), false, clock.instant());
        rounds(d, 3);
        clock.advance(Duration.ofMinutes(2));
        rounds(d, 2);
        assertThat(receiver.attempts).as("acknowledged").hasValue(0);
        // The acknowledgement expires while the cluster is still DOWN: now it is told, once.
        clock.advance(Duration.ofMinutes(4));
        rounds(d, 3);
        assertThat(receiver.changes()).containsExactly("zeta PROBLEM DOWN");
    }

    /** The texts of the deliveries received, in order. */
    List<String> texts() {
        return receiver.received.stream().map(r -> r.body().path("text").asText()).toList();
    }

    @Test
    void anAcknowledgementOfAToldProblemIsToldOnceAndItsResolvedSaysSo() {
        Dispatcher d = dispatcher(store, ds, "ack-told", Duration.ofMinutes(1), 10, Duration.ofSeconds(60));
        cluster("alpha", RUNNING, STOPPED);
        cluster("alpha", STOPPED, STOPPED);
        rounds(d, 2);
        assertThat(receiver.changes()).containsExactly("alpha PROBLEM DOWN");
        Instant until = clock.instant().plus(Duration.ofHours(2));
        store.acknowledge("alpha", "alice", "on it", until, false, clock.instant());
        rounds(d, 2);
        for (int i = 0; i < 5; i++) { // five repeat intervals: no repeat, no second ACKNOWLEDGED
            clock.advance(Duration.ofSeconds(61));
            store.reevaluateDue(clock.instant());
            rounds(d, 1);
        }
        assertThat(receiver.changes()).containsExactly("alpha PROBLEM DOWN", "alpha ACKNOWLEDGED DOWN");
        var ack = receiver.received.get(1).body();
        assertThat(ack.path("kind").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(ack.path("text").asText()).isEqualTo("alpha DOWN acknowledged by alice until "
                + Message.UNTIL.format(until) + ": on it");
        var c = ack.path("changes").get(0);
        assertThat(c.path("by").asText()).isEqualTo("alice");
        assertThat(c.path("comment").asText()).isEqualTo("on it");
        assertThat(Instant.parse(c.path("until").asText())).isEqualTo(until.truncatedTo(ChronoUnit.MICROS));
        assertThat(c.path("sticky").asBoolean()).isFalse();

        cluster("alpha", RUNNING, STOPPED);
        rounds(d, 2);
        assertThat(receiver.changes()).containsExactly("alpha PROBLEM DOWN", "alpha ACKNOWLEDGED DOWN",
                "alpha RESOLVED OK");
        assertThat(texts().get(2)).isEqualTo("alpha is OK again (was DOWN; acknowledged by alice): resolved");
        assertThat(receiver.received.get(2).body().path("changes").get(0).path("acknowledgedBy").asText())
                .isEqualTo("alice");
    }

    @Test
    void anAcknowledgementRemovedWhileDownHasTheProblemToldAgainWithinARound() {
        Dispatcher d = dispatcher(store, ds, "ack-removed", Duration.ofHours(1), 10, Duration.ofSeconds(60));
        cluster("beta", RUNNING, STOPPED);
        cluster("beta", STOPPED, STOPPED);
        rounds(d, 1);
        long id = store.acknowledge("beta", "alice", "on it", null, false, clock.instant()).id();
        rounds(d, 1);
        assertThat(texts()).last().isEqualTo("beta DOWN acknowledged by alice until it recovers: on it");
        clock.advance(Duration.ofSeconds(5)); // well inside the quiet recheck and the hour's repeat
        assertThat(store.removeAcknowledgement("beta", id, "bob", clock.instant())).isTrue();
        rounds(d, 1);
        assertThat(receiver.changes()).containsExactly("beta PROBLEM DOWN", "beta ACKNOWLEDGED DOWN",
                "beta REPEAT DOWN");
        assertThat(texts()).last().asString().startsWith("beta is still DOWN: ")
                .endsWith("(acknowledgement by alice ended: removed by bob)");
    }

    @Test
    void anAcknowledgementExpiredWhileDownHasTheProblemToldAgainBeforeTheRecheck() {
        Dispatcher d = dispatcher(store, ds, "ack-expired", Duration.ofHours(1), 10, Duration.ofSeconds(60));
        cluster("gamma2", RUNNING, STOPPED);
        cluster("gamma2", STOPPED, STOPPED);
        rounds(d, 1);
        store.acknowledge("gamma2", "alice", "on it", clock.instant().plusSeconds(90), false, clock.instant());
        rounds(d, 1);
        clock.advance(Duration.ofSeconds(61));
        rounds(d, 1); // the quiet recheck: still acknowledged, looked at again in a minute
        clock.advance(Duration.ofSeconds(30)); // expired; the next recheck is 30 s away
        store.reevaluateDue(clock.instant()); // the store's sweep ends it
        rounds(d, 1);
        assertThat(receiver.changes()).containsExactly("gamma2 PROBLEM DOWN", "gamma2 ACKNOWLEDGED DOWN",
                "gamma2 REPEAT DOWN");
        assertThat(texts()).last().asString().endsWith("(acknowledgement by alice ended: expired)");
    }

    @Test
    void aProblemNeverToldGetsNoAcknowledgedMessage() {
        Dispatcher d = dispatcher(store, ds, "ack-untold", Duration.ofMinutes(1), 10, Duration.ofSeconds(60));
        cluster("delta2", RUNNING, STOPPED);
        rounds(d, 1);
        cluster("delta2", STOPPED, STOPPED); // DOWN, acknowledged before the fan-out sees it: it began quiet
        long id = store.acknowledge("delta2", "alice", "on it", null, true, clock.instant()).id();
        for (int i = 0; i < 3; i++) {
            rounds(d, 1);
            clock.advance(Duration.ofSeconds(61));
        }
        assertThat(receiver.attempts).as("never told, so not told of its acknowledgement").hasValue(0);
        assertThat(store.removeAcknowledgement("delta2", id, "bob", clock.instant())).isTrue();
        rounds(d, 1);
        assertThat(receiver.changes()).as("once it is no longer acknowledged it is told at once")
                .containsExactly("delta2 PROBLEM DOWN");
    }

    @Test
    void retriedWithBackOffWhileDownThenOneSummary() {
        Dispatcher d = dispatcher();
        receiver.down = true;
        for (String c : List.of("c1", "c2", "c3")) {
            cluster(c, RUNNING, STOPPED);
        }
        cluster("c1", STOPPED, STOPPED);
        rounds(d, 3);
        assertThat(receiver.attempts).as("back-off: no second attempt within the first second").hasValue(1);
        int attempts = 1;
        for (int minute = 0; minute < 60; minute++) { // an hour down, while the fleet keeps changing
            clock.advance(Duration.ofMinutes(1));
            if (minute == 10) {
                cluster("c2", STOPPED, STOPPED);
            }
            if (minute == 20) {
                cluster("c3", RUNNING, RUNNING);
            }
            if (minute == 30) {
                cluster("c1", RUNNING, STOPPED);
            }
            rounds(d, 1);
        }
        assertThat(receiver.attempts.get()).as("retried, capped at one a back-off").isBetween(attempts + 8, 61);
        assertThat(d.status()).singleElement().satisfies(s -> {
            assertThat(s.pending()).isEqualTo(4);
            assertThat(s.failures()).isGreaterThan(5);
            assertThat(s.lastError()).isEqualTo("the receiver answered HTTP 503");
        });

        receiver.down = false;
        clock.advance(Duration.ofSeconds(10));
        rounds(d, 3);
        assertThat(receiver.received).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("SUMMARY");
            assertThat(r.body().path("text").asText()).startsWith("4 changes while you were unreachable");
            assertThat(r.body().has("unreachableSince")).isTrue();
            assertThat(r.signatureValid()).isTrue();
        });
        assertThat(receiver.changes()).containsExactly("c1 PROBLEM DOWN", "c2 PROBLEM DOWN", "c3 PROBLEM SPLIT",
                "c1 RESOLVED OK");
        rounds(d, 3);
        assertThat(receiver.received).hasSize(1);
    }

    @Test
    void aBurstBeyondFoldAboveIsOneSummary() {
        Dispatcher d = dispatcher(store, ds, "burst", Duration.ZERO, 5, Duration.ofSeconds(60));
        for (int i = 0; i < 12; i++) {
            cluster("b" + i, RUNNING, STOPPED);
            cluster("b" + i, STOPPED, STOPPED);
        }
        rounds(d, 2);
        assertThat(receiver.received).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("SUMMARY");
            assertThat(r.body().path("changes")).hasSize(12);
            assertThat(r.body().has("unreachableSince")).isFalse();
        });
    }

    @Test
    void sentOnceAcrossARestart() {
        Dispatcher before = dispatcher();
        cluster("eta", RUNNING, STOPPED);
        cluster("eta", STOPPED, STOPPED);
        before.fanOut(); // kept in the outbox, not yet sent: then the process ends
        cluster("theta", RUNNING, STOPPED);
        cluster("theta", RUNNING, RUNNING); // recorded, not yet fanned out

        // The store and the sender closed and opened again on the same database, as a restarted fleet view.
        AgroalDataSource again = pool();
        pools.add(again);
        JdbcFleetStore reopened = store(again);
        Dispatcher after = dispatcher(reopened, again, "after-restart", Duration.ZERO, 10, Duration.ofSeconds(60));
        rounds(after, 3);
        assertThat(receiver.changes()).containsExactly("eta PROBLEM DOWN", "theta PROBLEM SPLIT");

        // An instance killed while it held the receiver's lease: the next one waits the lease out, then sends once.
        JdbcOutbox outbox = new JdbcOutbox(again);
        assertThat(outbox.claim("ops", "killed", clock.instant(), clock.instant().plusSeconds(30))).isPresent();
        cluster(reopened, "eta", RUNNING, STOPPED);
        rounds(after, 3);
        assertThat(receiver.received).hasSize(2);
        clock.advance(Duration.ofSeconds(31));
        rounds(after, 3);
        assertThat(receiver.changes()).containsExactly("eta PROBLEM DOWN", "theta PROBLEM SPLIT", "eta RESOLVED OK");
    }

    @Test
    void credentialsNeverReachTheLog() {
        List<LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
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
        Logger logger = Logger.getLogger("io.hulftark.fleet.notify");
        logger.addHandler(capture);
        Level level = logger.getLevel();
        logger.setLevel(Level.ALL);
        try {
            Dispatcher d = dispatcher();
            receiver.close(); // nothing listens: the connection is refused
            cluster("iota", RUNNING, STOPPED);
            cluster("iota", STOPPED, STOPPED);
            rounds(d, 2);
            String all = String.join("\n", logged.stream().map(r -> java.text.MessageFormat.format(
                    String.valueOf(r.getMessage()), r.getParameters() == null ? new Object[0] : r.getParameters())
                    + " " + r.getMessage() + " " + java.util.Arrays.toString(r.getParameters())).toList());
            assertThat(all).as("the failure is logged").contains("receiver ops did not accept");
            assertThat(all).doesNotContain(SECRET).doesNotContain(TOKEN);
            assertThat(d.status().get(0).lastError()).isNotBlank().doesNotContain(TOKEN).doesNotContain(SECRET);
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(level);
        }
    }
}
