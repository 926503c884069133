package io.hulftark.fleet.state;

/** The state of one HULFT cluster as the fleet view shows it; {@link ClusterStateDeriver} says how each is reached. */
public enum ClusterState {
    /** Exactly one node serves HULFT with every check passing; every other node reports and stands by. */
    OK,
    /** HULFT is served, but redundancy or health is reduced. */
    DEGRADED,
    /** No node is seen serving HULFT. */
    DOWN,
    /** HULFT runs on more than one node at once. */
    SPLIT,
    /** No node has reported recently: the fleet view cannot tell. */
    STALE,
    /**
     * Never a cluster's state (a window shows the real state with a marker): kept as the summary's key for the
     * clusters in a maintenance window now, and as the cluster list's filter for them, as before.
     */
    MAINTENANCE
}
