package io.hulftark.fleet.actions.batch;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * One cluster of a batch and how far it got.
 *
 * @param state    PENDING (not started yet), RUNNING (its action runs), SUCCEEDED, FAILED (its action failed or could
 *                 not start), SKIPPED (not started: an earlier cluster failed and the batch stops on failure),
 *                 CANCELLED (not started: the batch was cancelled)
 * @param actionId the fleet action started for it (GET /api/v1/fleet/actions/{id}); null until started
 * @param detail   one line: why it failed, was skipped or cancelled, or how its action ended
 */
@Schema(description = "One cluster of a batch and how far it got", requiredProperties = {"cluster", "state"})
public record BatchCluster(
        @Schema(description = "The cluster's name") String cluster,
        @Schema(description = "PENDING (not started yet), RUNNING (its action runs), SUCCEEDED, FAILED (its action "
                + "failed or could not start), SKIPPED (not started: a cluster failed and the batch stops on failure), "
                + "CANCELLED (not started: the batch was cancelled)",
                enumeration = {"PENDING", "RUNNING", "SUCCEEDED", "FAILED", "SKIPPED", "CANCELLED"}) String state,
        @Schema(description = "The fleet action started for it; null until started", nullable = true) String actionId,
        @Schema(description = "One line: why it failed, was skipped or cancelled, or how its action ended",
                nullable = true) String detail,
        @Schema(implementation = String.class, format = "date-time", description = "When its action was started",
                nullable = true) Instant startedAt,
        @Schema(implementation = String.class, format = "date-time", description = "When it ended", nullable = true)
        Instant endedAt) {

    public static final String PENDING = "PENDING";
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String SKIPPED = "SKIPPED";
    public static final String CANCELLED = "CANCELLED";
}
