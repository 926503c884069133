package io.hulftark.fleet.store;

import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.hulftark.fleet.state.ClusterState;

/**
 * @param outcome   ACCEPTED: the report is the node's latest now; OUTDATED: an older or equal (agentStartedAt, seq)
 *                  than the one kept, so the state was left alone (its new events were still taken)
 * @param newEvents events of the report not seen before (duplicates are skipped)
 * @param state     the cluster's state after this report
 */
@Schema(description = "What a report changed", requiredProperties = {"outcome", "newEvents", "state", "stateChanged"},
        properties = {
        @SchemaProperty(name = "outcome", description = "ACCEPTED: the report is the node's latest now; OUTDATED: older "
                + "than the one kept, so the state was left alone (its new events were still taken)"),
        @SchemaProperty(name = "newEvents", description = "Events of the report not seen before", minimum = "0"),
        @SchemaProperty(name = "state", description = "The cluster's state after it"),
        @SchemaProperty(name = "stateChanged", description = "Whether it changed the cluster's state")})
public record IngestResult(Outcome outcome, int newEvents, ClusterState state, boolean stateChanged) {

    public enum Outcome { ACCEPTED, OUTDATED }
}
