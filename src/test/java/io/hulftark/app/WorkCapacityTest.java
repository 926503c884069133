package io.hulftark.app;

import io.quarkus.runtime.util.NoopShutdownScheduledExecutorService;
import org.jboss.threads.EnhancedQueueExecutor;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class WorkCapacityTest {

    private final UploadGate uploads = new UploadGate(2, 3);
    private final AtomicReference<Optional<WorkCapacity.Pool>> pool = new AtomicReference<>(Optional.empty());
    private final WorkCapacity capacity = new WorkCapacity(uploads, pool::get);

    @Test
    void fullWhileEveryPlaceForABodyIsTaken() {
        assertThat(capacity.full()).isEmpty();
        uploads.acquire("a");
        uploads.acquire("b");
        assertThat(capacity.full()).isEmpty();
        uploads.acquire("c");
        assertThat(capacity.full()).hasValueSatisfying(r -> assertThat(r).contains("3 request bodies", "max-uploads"));
        uploads.release("a");
        assertThat(capacity.full()).isEmpty();
    }

    @Test
    void fullWhileEveryWorkerIsBusyAndRequestsWait() {
        pool.set(Optional.of(new WorkCapacity.Pool(200, 200, 0)));
        assertThat(capacity.full()).as("busy, but nothing waits yet").isEmpty();
        pool.set(Optional.of(new WorkCapacity.Pool(200, 200, 7)));
        assertThat(capacity.full()).hasValueSatisfying(r -> assertThat(r).contains("all 200 worker threads", "7 requests"));
        pool.set(Optional.of(new WorkCapacity.Pool(150, 200, 3)));
        assertThat(capacity.full()).isEmpty();
    }

    @Test
    void theWorkerPoolIsFoundBehindQuarkussWrapper() {
        EnhancedQueueExecutor pool = new EnhancedQueueExecutor.Builder().setCorePoolSize(1).setMaximumPoolSize(3).build();
        try {
            // As io.quarkus.runtime.ExecutorRecorder makes Quarkus's worker pool outside dev mode.
            assertThat(CapacityHealth.find(new NoopShutdownScheduledExecutorService(pool))).containsSame(pool);
            assertThat(CapacityHealth.find(pool)).containsSame(pool);
            assertThat(CapacityHealth.find(new Object())).isEmpty();
            assertThat(CapacityHealth.find(null)).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }
}
