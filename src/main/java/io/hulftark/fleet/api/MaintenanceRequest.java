package io.hulftark.fleet.api;

import io.hulftark.wire.WireText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;

/** A maintenance window [from, until), at most 30 days long; from defaults to now. */
@Schema(description = "A maintenance window [from, until), at most 30 days long", requiredProperties = {"until", "reason"})
public record MaintenanceRequest(@Schema(description = "When it starts; absent: now") Instant from,
                                 @Schema(description = "When it ends: in the future, after from, at most 30 days ahead "
                                         + "and after from") Instant until,
                                 @Schema(description = "Why: one line of at most 500 characters, not blank, without control characters or lone surrogates", minLength = 1,
                                         maxLength = 500) String reason) {

    /** Why the reason is refused (a 400's one line), or null: a free text by the wire's rule. */
    public String reasonProblem(int max) {
        return WireText.freeTextProblem("reason", reason, max, true);
    }
}
