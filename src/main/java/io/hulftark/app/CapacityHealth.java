package io.hulftark.app;

import io.quarkus.runtime.ExecutorRecorder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.threads.EnhancedQueueExecutor;

import java.util.Optional;

/** Readiness of both roles: DOWN, with the reason, while the service cannot take more work ({@link WorkCapacity}). */
@Readiness
@ApplicationScoped
public class CapacityHealth implements HealthCheck {

    private final WorkCapacity capacity;

    public CapacityHealth(UploadGate uploads) {
        this.capacity = new WorkCapacity(uploads, CapacityHealth::workerPool);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("capacity").withData("uploads", capacity.uploads());
        capacity.pool().ifPresent(p -> b.withData("workersBusy", p.busy()).withData("workersMax", p.max())
                .withData("queued", p.queued()));
        Optional<String> full = capacity.full();
        return full.isPresent() ? b.down().withData("reason", full.get()).build() : b.up().build();
    }

    /** Quarkus's worker pool (blocking REST methods run there), when it is the executor we know. */
    static Optional<WorkCapacity.Pool> workerPool() {
        return POOL.map(e -> new WorkCapacity.Pool(e.getActiveCount(), e.getMaximumPoolSize(), e.getQueueSize()));
    }

    private static final Optional<EnhancedQueueExecutor> POOL = find(ExecutorRecorder.getCurrent());

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
            return Optional.empty(); // readiness then judges by the uploads alone
        }
    }
}
