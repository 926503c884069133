package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;

/** An operator's acknowledgement of a cluster's problem; it never changes the state and it expires. */
@Schema(description = "An operator's acknowledgement of a cluster's problem",
        requiredProperties = {"id", "cluster", "by", "comment", "at", "until"})
public record AckView(@Schema(description = "Its id, for DELETE", minimum = "1") long id,
                      @Schema(description = "The cluster's name") String cluster,
                      @Schema(description = "The operator's name (from the token file)") String by,
                      @Schema(description = "Why, one line", maxLength = 500) String comment,
                      @Schema(description = "When it was given") Instant at,
                      @Schema(description = "When it expires") Instant until) {
}
