package io.hulftark.fleet.api;

import io.hulftark.wire.WireText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * A maintenance window. One-off (no days): [from, until), at most 30 days long, from defaulting to now. Weekly
 * (days given): every one of days at start (wall-clock HH:MM in zone) for duration, within [from, until), until
 * optional.
 */
@Schema(description = "A maintenance window: one-off [from, until) at most 30 days long; or weekly (days given) at "
        + "start in zone for duration, within [from, until) with until optional", requiredProperties = {"reason"})
public record MaintenanceRequest(@Schema(implementation = String.class, format = "date-time", description = "When it (or its weekly series) starts; absent: now",
                                         nullable = true) Instant from,
                                 @Schema(implementation = String.class, format = "date-time", description = "When it ends: in the future and after from; one-off: required, "
                                         + "at most 30 days ahead and after from; weekly: absent for a series that never "
                                         + "ends", nullable = true) Instant until,
                                 @Schema(description = "Why: one line of at most 500 characters, not blank, without control characters or lone surrogates", minLength = 1,
                                         maxLength = 500) String reason,
                                 @Schema(description = "Weekly: the days (MONDAY or MON, any case), at least one; "
                                         + "absent or empty: a one-off window", nullable = true, maxItems = 7)
                                 List<String> days,
                                 @Schema(description = "Weekly: when each occurrence starts, wall-clock HH:MM in zone "
                                         + "(a start in a DST gap moves forward by the gap)", nullable = true,
                                         maxLength = 16) String start,
                                 @Schema(description = "Weekly: how long each occurrence lasts, ISO-8601 (PT2H), more "
                                         + "than 0 and at most 7 days, in elapsed time", nullable = true, maxLength = 32)
                                 String duration,
                                 @Schema(description = "Weekly: the IANA time zone of start (Europe/Berlin)",
                                         nullable = true, maxLength = 64) String zone) {

    /** Why the reason is refused (a 400's one line), or null: a free text by the wire's rule. */
    public String reasonProblem(int max) {
        return WireText.freeTextProblem("reason", reason, max, true);
    }

    /** Whether it asks for a weekly window. */
    public boolean weekly() {
        return days != null && !days.isEmpty() || start != null || duration != null || zone != null;
    }
}
