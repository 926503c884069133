package io.hulftark.app;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether this service can take more work now, for readiness: it cannot while every place for a request body is
 * taken ({@link UploadGate}), or while every worker thread is busy and requests wait in the pool's queue. A load
 * balancer then sends the work elsewhere; liveness is not touched, since nothing is wrong that a restart would mend.
 */
public final class WorkCapacity {

    /** The worker pool: threads taken, its size, and requests waiting for a thread. */
    public record Pool(int busy, int max, long queued) {
    }

    private final UploadGate uploads;
    private final Supplier<Optional<Pool>> pool;

    public WorkCapacity(UploadGate uploads, Supplier<Optional<Pool>> pool) {
        this.uploads = uploads;
        this.pool = pool;
    }

    /** Why no more work can be taken, in one line; empty while it can. */
    public Optional<String> full() {
        int receiving = uploads.inProgress();
        if (receiving >= uploads.max()) {
            return Optional.of("receiving " + receiving + " request bodies, the most it takes at once "
                    + "(hulftark.http.max-uploads)");
        }
        Optional<Pool> p = pool.get();
        if (p.isPresent() && p.get().busy() >= p.get().max() && p.get().queued() > 0) {
            return Optional.of("all " + p.get().max() + " worker threads are busy and " + p.get().queued()
                    + " requests wait for one (quarkus.thread-pool.max-threads)");
        }
        return Optional.empty();
    }

    public int uploads() {
        return uploads.inProgress();
    }

    public Optional<Pool> pool() {
        return pool.get();
    }
}
