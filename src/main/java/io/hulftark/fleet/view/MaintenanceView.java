package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;

/** A maintenance window, [from, until): while it covers now, the cluster is MAINTENANCE. */
@Schema(description = "A maintenance window [from, until)",
        requiredProperties = {"id", "cluster", "from", "until", "reason", "by", "at"})
public record MaintenanceView(@Schema(description = "Its id, for DELETE", minimum = "1") long id,
                              @Schema(description = "The cluster's name") String cluster,
                              @Schema(description = "When it starts") Instant from,
                              @Schema(description = "When it ends (not included)") Instant until,
                              @Schema(description = "Why, one line", maxLength = 500) String reason,
                              @Schema(description = "The operator's name (from the token file)") String by,
                              @Schema(description = "When it was set") Instant at) {
}
