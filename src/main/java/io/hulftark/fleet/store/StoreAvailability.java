package io.hulftark.fleet.store;

import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Whether the store can take writes now, and if not why, said once: the log gets one line when the cause
 * changes (a full disk, then its closed database, is one cause) and one when writes work again, never one per
 * request. The problem body, readiness and the log share the same sentence.
 */
public final class StoreAvailability {

    private static final Logger LOG = Logger.getLogger(StoreAvailability.class);

    /** A fault with the moment it began. */
    public record Down(StoreFault fault, Instant since) {
    }

    private final String where;
    private final Clock clock;
    private final UnaryOperator<StoreFault> explain;
    private volatile Down down;

    /** @param where names the store for a person: "the fleet view's store at /var/lib/hulft-ark/fleet" */
    public StoreAvailability(String where, Clock clock) {
        this(where, clock, UnaryOperator.identity());
    }

    /**
     * @param explain finds the cause behind a fault that does not tell it (H2 closed after a write failed in its
     *                background writer, where no request saw why): e.g. a full disk, from the file system's free space
     */
    public StoreAvailability(String where, Clock clock, UnaryOperator<StoreFault> explain) {
        this.where = where;
        this.clock = clock;
        this.explain = explain;
    }

    public String where() {
        return where;
    }

    /** Records the fault; logs it when it is a new cause. */
    public synchronized void failed(StoreFault fault) {
        if (fault.kind() == StoreFault.Kind.CLOSED || fault.kind() == StoreFault.Kind.IO) {
            try {
                fault = explain.apply(fault);
            } catch (RuntimeException e) {
                // no better explanation: the fault as it came
            }
        }
        Down d = down;
        if (d != null && (d.fault().equals(fault) || fault.kind() == StoreFault.Kind.CLOSED)) {
            return; // the same cause, or the database H2 closed because of it
        }
        down = new Down(fault, clock.instant());
        LOG.errorf("%s %s; writes are refused (503) until it can write again", where, fault.describe());
    }

    /** A write went through (or the probe did): the store takes work again. */
    public void writable() {
        if (down == null) {
            return;
        }
        synchronized (this) {
            Down d = down;
            if (d != null) {
                down = null;
                LOG.infof("%s can write again (it could not since %s: %s)", where, d.since(), d.fault().reason());
            }
        }
    }

    public Optional<Down> down() {
        return Optional.ofNullable(down);
    }

    /**
     * The refusal of a write while the store cannot take work, or empty: its fault and its words from one look, so
     * that a probe that finds the store writable in between never leaves a refusal without its fault (a bare 500).
     */
    public Optional<FleetStoreException> refusal(String what) {
        Down d = down;
        return d == null ? Optional.empty() : Optional.of(new FleetStoreException("fleet store: " + what + " refused: "
                + where + " " + d.fault().describe(), null, d.fault()));
    }

    /** The one line for the problem body and readiness, e.g. "the fleet view's store at /x cannot write: no space left on device". */
    public Optional<String> problem() {
        Down d = down;
        return d == null ? Optional.empty() : Optional.of(where + " " + d.fault().describe());
    }
}
