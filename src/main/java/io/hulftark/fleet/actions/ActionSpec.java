package io.hulftark.fleet.actions;

/**
 * What a person or a script asks of one cluster: an agent action on a node, or a switchover.
 *
 * @param action restore, remove, recover, quickCheck or switchover
 * @param node   the node that runs it; for switchover the node HULFT moves to (absent: the cluster's only standby);
 *               for quickCheck absent means every node
 * @param tag    the resource; absent: every resource of the cluster
 * @param force  run even though it leaves the cluster with no serving node
 * @param reason why, for the audit (one line, at most 500 characters)
 */
public record ActionSpec(String action, String node, String tag, boolean force, String reason) {
}
