package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * A maintenance window: one-off [from, until), or recurring (days not empty): every one of days at start in zone
 * for duration, within [from, until). While an occurrence covers now, the cluster shows its real state in maintenance.
 */
@Schema(description = "A maintenance window: one-off [from, until), or weekly (days not empty) at start in zone for "
        + "duration, within [from, until)",
        requiredProperties = {"id", "cluster", "from", "until", "reason", "by", "at", "days", "start", "duration",
                "zone", "nextFrom", "nextUntil"})
public record MaintenanceView(@Schema(description = "Its id, for DELETE", minimum = "1") long id,
                              @Schema(description = "The cluster's name") String cluster,
                              @Schema(description = "When it (or its series) starts") Instant from,
                              @Schema(implementation = String.class, format = "date-time", description = "When it (or its series) ends (not included); null: a weekly "
                                      + "series that never ends", nullable = true) Instant until,
                              @Schema(description = "Why, one line", maxLength = 500) String reason,
                              @Schema(description = "The operator's name (from the token file)") String by,
                              @Schema(description = "When it was set") Instant at,
                              @Schema(description = "Weekly: its days (MONDAY ... SUNDAY), MONDAY first; empty: "
                                      + "one-off", maxItems = 7) List<String> days,
                              @Schema(description = "Weekly: when each occurrence starts, wall-clock HH:MM in zone; "
                                      + "null: one-off", nullable = true) String start,
                              @Schema(description = "Weekly: how long each occurrence lasts (ISO-8601, elapsed time); "
                                      + "null: one-off", nullable = true) String duration,
                              @Schema(description = "Weekly: the IANA time zone of start; null: one-off",
                                      nullable = true) String zone,
                              @Schema(implementation = String.class, format = "date-time", description = "The occurrence that covers now, else the next one: its start; "
                                      + "null when over", nullable = true) Instant nextFrom,
                              @Schema(implementation = String.class, format = "date-time", description = "The same occurrence's end (not included); null when over",
                                      nullable = true) Instant nextUntil) {
}
