package io.hulftark.fleet.store;

import io.hulftark.fleet.state.ClusterState;

/**
 * @param outcome   ACCEPTED: the report is the node's latest now; OUTDATED: an older or equal (agentStartedAt, seq)
 *                  than the one kept, so the state was left alone (its new events were still taken)
 * @param newEvents events of the report not seen before (duplicates are skipped)
 * @param state     the cluster's state after this report
 */
public record IngestResult(Outcome outcome, int newEvents, ClusterState state, boolean stateChanged) {

    public enum Outcome { ACCEPTED, OUTDATED }
}
