package io.hulftark.fleet.actions.batch;

import io.hulftark.fleet.actions.ActionRefused;
import io.hulftark.fleet.actions.ActionSpec;
import io.hulftark.fleet.actions.FleetAction;
import io.hulftark.fleet.actions.FleetActions;
import io.hulftark.fleet.store.BatchStore;
import io.hulftark.fleet.store.FleetStoreException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Drives the batches this fleet-view instance holds the lease of, one round a second ({@link #tick()}): follows
 * the actions of running clusters ({@link FleetActions#get}), stops new starts after a failure when the batch says
 * so, starts the next clusters up to the batch's concurrency and pause, and ends the batch when nothing is left.
 * Everything it knows is read from the store each round, so another instance (or this one restarted) carries on
 * where it stopped. A cluster is started at most once: it is marked RUNNING before its action starts, and one
 * found RUNNING without an action (the instance died in between) is failed, not started again.
 */
public final class BatchRunner {

    private static final Logger LOG = Logger.getLogger(BatchRunner.class);

    private final BatchStore store;
    private final FleetActions actions;
    private final Clock clock;
    private final String owner;
    private final Duration lease;

    /**
     * @param owner this instance's name in the leases (unique per process)
     * @param lease how long a lease holds without renewal: another instance takes a batch over after that
     */
    public BatchRunner(BatchStore store, FleetActions actions, Clock clock, String owner, Duration lease) {
        this.store = store;
        this.actions = actions;
        this.clock = clock;
        this.owner = owner;
        this.lease = lease;
    }

    public String owner() {
        return owner;
    }

    /** One round over every batch this instance drives (or may take over now). */
    public void tick() {
        Instant now = clock.instant();
        for (String id : store.claim(owner, now, now.plus(lease))) {
            try {
                drive(id);
            } catch (BatchStore.LeaseLost e) {
                LOG.debugf("batch %s: %s", id, e.getMessage());
            }
        }
    }

    /** Gives up this instance's leases: a restart or another instance takes the batches over at once. */
    public void release() {
        store.release(owner);
    }

    private void drive(String id) {
        Optional<Batch> read = store.get(id);
        if (read.isEmpty() || read.get().ended()) {
            return;
        }
        Batch b = read.get();
        List<BatchCluster> clusters = b.clusters();
        int running = 0;
        String failedCluster = null;
        for (int seq = 0; seq < clusters.size(); seq++) {
            BatchCluster c = clusters.get(seq);
            if (BatchCluster.RUNNING.equals(c.state())) {
                String end = follow(b, seq, c);
                if (end == null) {
                    running++;
                } else if (BatchCluster.FAILED.equals(end) && failedCluster == null) {
                    failedCluster = c.cluster();
                }
            } else if (BatchCluster.FAILED.equals(c.state()) && failedCluster == null) {
                failedCluster = c.cluster();
            }
        }
        boolean stopped = b.stopOnFailure() && failedCluster != null;
        if (stopped) {
            skipRest(b, failedCluster);
        } else if (Batch.RUNNING.equals(b.state())) {
            running = startNext(b, running);
        }
        // What is left is read again: starts, ends and skips of this round, and an operator's cancel meanwhile.
        Batch now = store.get(id).orElse(b);
        if (now.pending() == 0 && now.running() == 0 && !now.ended()) {
            String end = end(now);
            if (store.finish(id, owner, now.state(), end, clock.instant())) {
                LOG.infof("batch %s (%s of %d clusters by %s): %s, %d succeeded, %d failed", id, b.action(),
                        now.total(), b.requestedBy(), end, now.succeeded(), now.failed());
            }
        }
    }

    /** @return the cluster's end state when its action ended, or null while it runs */
    private String follow(Batch b, int seq, BatchCluster c) {
        String state;
        String detail;
        if (c.actionId() == null) {
            state = BatchCluster.FAILED;
            detail = "the fleet view stopped while starting its action; not started again (the batch's actions "
                    + "show whether it ran)";
        } else {
            Optional<FleetAction> a = actions.get(c.actionId());
            if (a.isEmpty()) {
                state = BatchCluster.FAILED;
                detail = "its action " + c.actionId() + " is not known to the fleet view";
            } else if (!a.get().finished()) {
                return null;
            } else {
                state = "SUCCEEDED".equals(a.get().state()) ? BatchCluster.SUCCEEDED : BatchCluster.FAILED;
                detail = a.get().detail() != null ? a.get().detail() : c.actionId() + " " + a.get().state();
            }
        }
        Instant now = clock.instant();
        store.ended(b.id(), seq, owner, state, detail, now, now.plus(lease));
        return state;
    }

    private void skipRest(Batch b, String failedCluster) {
        if (b.pending() > 0) {
            Instant now = clock.instant();
            store.skipPending(b.id(), owner, "not started: " + failedCluster + " failed and the batch stops on failure",
                    now, now.plus(lease));
        }
    }

    /** Starts pending clusters in order while fewer than concurrency run and the pause allows. @return running now */
    private int startNext(Batch b, int running) {
        List<BatchCluster> clusters = b.clusters();
        ActionSpec spec = new ActionSpec(b.action(), b.node(), b.tag(), b.force(), b.reason());
        for (int seq = 0; seq < clusters.size() && running < b.concurrency(); seq++) {
            if (!BatchCluster.PENDING.equals(clusters.get(seq).state())) {
                continue;
            }
            Instant now = clock.instant();
            Optional<Instant> notBefore = store.nextStartAt(b.id());
            if (notBefore.isPresent() && now.isBefore(notBefore.get())) {
                return running;
            }
            Instant next = b.pauseSeconds() > 0 ? now.plusSeconds(b.pauseSeconds()) : null;
            if (!store.starting(b.id(), seq, owner, now, now.plus(lease), next)) {
                return running; // paused or cancelled meanwhile
            }
            String cluster = clusters.get(seq).cluster();
            FleetAction started;
            try {
                started = actions.start(cluster, spec, b.requestedBy(), b.id());
            } catch (RuntimeException e) {
                // Refused (busy, unknown node, not allowed...) or the start failed: the cluster failed, once.
                if (!(e instanceof ActionRefused) && !(e instanceof FleetStoreException)) {
                    LOG.warnf(e, "batch %s: starting %s on %s failed", b.id(), b.action(), cluster);
                }
                failed(b, seq, e instanceof ActionRefused ? e.getMessage() : "could not start: " + e.getMessage());
                if (b.stopOnFailure()) {
                    skipRest(store.get(b.id()).orElse(b), cluster);
                    return running;
                }
                continue;
            }
            store.started(b.id(), seq, owner, started.id(), clock.instant().plus(lease));
            running++;
            if (next != null) {
                return running; // one start per pause
            }
        }
        return running;
    }

    private void failed(Batch b, int seq, String detail) {
        Instant now = clock.instant();
        store.ended(b.id(), seq, owner, BatchCluster.FAILED, detail, now, now.plus(lease));
    }

    /** The end state of a batch nothing is left of: a cancel, a stop by failure, a failure, or success. */
    static String end(Batch b) {
        if (Batch.CANCELLED.equals(b.state())) {
            return Batch.CANCELLED;
        }
        boolean skipped = b.clusters().stream().anyMatch(c -> BatchCluster.SKIPPED.equals(c.state()));
        if (skipped) {
            return Batch.STOPPED;
        }
        return b.failed() > 0 ? Batch.FAILED : Batch.SUCCEEDED;
    }
}
