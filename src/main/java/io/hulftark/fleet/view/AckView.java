package io.hulftark.fleet.view;

import io.hulftark.fleet.state.ClusterState;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;

/**
 * An operator's acknowledgement of a cluster's current problem; it never changes the state. It ends when the
 * cluster recovers, when the state changes (unless sticky), at its until (when set), or when an operator removes it.
 */
@Schema(description = "An operator's acknowledgement of a cluster's current problem: it ends when the cluster returns "
        + "to OK, when the state changes unless sticky, at until when set, or when removed",
        requiredProperties = {"id", "cluster", "by", "comment", "at", "until", "state", "problem", "sticky"})
public record AckView(@Schema(description = "Its id, for DELETE", minimum = "1") long id,
                      @Schema(description = "The cluster's name") String cluster,
                      @Schema(description = "The operator's name (from the token file)") String by,
                      @Schema(description = "Why, one line", maxLength = 500) String comment,
                      @Schema(description = "When it was given") Instant at,
                      @Schema(implementation = String.class, format = "date-time", description = "When it expires; null: it lasts as long as its problem", nullable = true)
                      Instant until,
                      @Schema(description = "The state it acknowledged (never OK)") ClusterState state,
                      @Schema(description = "The state's reason when it was given: the problem acknowledged") String problem,
                      @Schema(description = "Whether it outlives a change of state (it still ends on recovery)")
                      boolean sticky) {
}
