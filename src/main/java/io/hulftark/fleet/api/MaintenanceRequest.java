package io.hulftark.fleet.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;

/** A maintenance window [from, until), at most 30 days long; from defaults to now. */
@Schema(description = "A maintenance window [from, until), at most 30 days long", requiredProperties = {"until", "reason"})
public record MaintenanceRequest(@Schema(description = "When it starts; absent: now") Instant from,
                                 @Schema(description = "When it ends: in the future, after from, at most 30 days ahead "
                                         + "and after from") Instant until,
                                 @Schema(description = "Why: one line of at most 500 characters, not blank", minLength = 1,
                                         maxLength = 500) String reason) {
}
