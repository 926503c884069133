package io.hulftark.app;

import io.quarkus.runtime.ExecutorRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.threads.EnhancedQueueExecutor;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Readiness of both roles: DOWN, with the reason, while the service cannot take more work ({@link WorkCapacity}). */
@Readiness
@ApplicationScoped
public class CapacityHealth implements HealthCheck {

    private static final Optional<EnhancedQueueExecutor> POOL = find(ExecutorRecorder.getCurrent());

    private final AtomicInteger inFlight = new AtomicInteger();
    private final WorkCapacity capacity;

    public CapacityHealth(UploadGate uploads) {
        this.capacity = new WorkCapacity(uploads, this::workerPool);
    }

    /** The API's exchanges in progress (but for live streams), kept by {@link UploadRoutes}. */
    AtomicInteger inFlight() {
        return inFlight;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("capacity").withData("uploads", capacity.uploads());
        capacity.pool().ifPresent(p -> b.withData("requests", p.busy() + p.queued()).withData("workers", p.max()));
        Optional<String> full = capacity.full();
        return full.isPresent() ? b.down().withData("reason", full.get()).build() : b.up().build();
    }

    /**
     * Each API request in progress takes a worker thread or waits for one (blocking methods; bodies are read before,
     * without one). The pool's own counts are no help: jboss-threads keeps them only when a system property says so.
     */
    Optional<WorkCapacity.Pool> workerPool() {
        int max = POOL.map(EnhancedQueueExecutor::getMaximumPoolSize).orElseGet(ExecutorRecorder::calculateMaxThreads);
        int requests = inFlight.get();
        return Optional.of(new WorkCapacity.Pool(Math.min(requests, max), max, Math.max(0, requests - max)));
    }

    /** Quarkus wraps its pool so that nobody shuts it down; the wrapper's one field is the pool (no API gives it). */
    static Optional<EnhancedQueueExecutor> find(Object executor) {
        if (executor instanceof EnhancedQueueExecutor e) {
            return Optional.of(e);
        }
        if (executor == null) {
            return Optional.empty();
        }
        try {
            var field = executor.getClass().getDeclaredField("delegate");
            field.setAccessible(true);
            return field.get(executor) instanceof EnhancedQueueExecutor e ? Optional.of(e) : Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty(); // then Quarkus's default size
        }
    }
}
