package io.hulftark.wire;

/** A resource's status as the agent sees it. */
public enum Status {
    /** The service runs and every configured port answers. */
    RUNNING,
    /** Running but a port fails, or expected to run here (LifeKeeper has it in service) and not running. */
    FAILED,
    /** Not running and not expected to run here: a standby node. */
    STOPPED,
    /** Cannot tell; the reason says why. */
    UNKNOWN;

    /** RUNNING and STOPPED are healthy states: one such check is enough to enter them. */
    public boolean healthy() {
        return this == RUNNING || this == STOPPED;
    }
}
