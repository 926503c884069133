package io.hulftark.fleet.notify;

import io.agroal.api.AgroalDataSource;
import io.hulftark.fleet.store.JdbcFleetStore;
import io.hulftark.fleet.store.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.hulftark.wire.Status.RUNNING;
import static io.hulftark.wire.Status.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

/** Notifications on PostgreSQL (the server .ci/run starts), and two fleet-view instances sending from one database. */
class NotificationsPostgresTest extends NotificationsContract {

    private String schema;

    @Override
    protected AgroalDataSource pool() {
        if (schema == null) {
            schema = TestDatabases.newSchema();
        }
        return TestDatabases.postgres(schema, 6);
    }

    @Override
    protected JdbcFleetStore.Dialect dialect() {
        return JdbcFleetStore.Dialect.POSTGRESQL;
    }

    @Override
    protected void dropDatabase() {
        if (schema != null) {
            TestDatabases.dropSchema(schema);
            schema = null;
        }
    }

    /**
     * Two instances, each with its own pool, store and dispatcher running its rounds all the time (as the service
     * does), while reports of 30 clusters arrive at both: every problem and every resolution reaches the receiver
     * exactly once.
     */
    @Test
    void twoInstancesOnOneDatabaseSendEachMessageOnce() throws Exception {
        AgroalDataSource other = pool();
        pools.add(other);
        JdbcFleetStore second = store(other);
        // fold-above high: every message goes on its own, so a duplicate would show
        Dispatcher a = dispatcher(store, ds, "instance-a", Duration.ZERO, 1000, Duration.ofSeconds(60));
        Dispatcher b = dispatcher(second, other, "instance-b", Duration.ZERO, 1000, Duration.ofSeconds(60));
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> loops = new ArrayList<>();
        for (Dispatcher d : List.of(a, b)) {
            loops.add(pool.submit(() -> {
                while (running.get()) {
                    rounds(d, 1);
                }
                return null;
            }));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String c = "pg" + i;
            JdbcFleetStore via = i % 2 == 0 ? store : second;
            JdbcFleetStore then = i % 2 == 0 ? second : store;
            cluster(via, c, RUNNING, STOPPED);
            cluster(then, c, STOPPED, STOPPED);
            cluster(via, c, RUNNING, STOPPED);
            expected.add(c + " PROBLEM DOWN");
            expected.add(c + " RESOLVED OK");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (receiver.changes().size() < expected.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1000); // a duplicate would come now
        running.set(false);
        for (Future<?> f : loops) {
            f.get();
        }
        pool.shutdown();
        assertThat(receiver.changes()).containsExactlyInAnyOrderElementsOf(expected);
        // Per cluster in the order it happened.
        for (int i = 0; i < 30; i++) {
            String c = "pg" + i;
            assertThat(receiver.changes().stream().filter(x -> x.startsWith(c + " ")).toList())
                    .containsExactly(c + " PROBLEM DOWN", c + " RESOLVED OK");
        }
        assertThat(receiver.received).allMatch(TestReceiver.Received::signatureValid);
    }
}
