package io.hulftark.fleet.actions.batch;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * A rolling batch: one fleet action asked of many clusters, at most {@code concurrency} at a time. Its row in the
 * store is the audit of the request (who, what, why, on which clusters, how each ended).
 *
 * @param state   RUNNING, PAUSED (no new starts), then SUCCEEDED (every cluster succeeded), FAILED (every cluster
 *                was tried, some failed), STOPPED (a cluster failed and stopOnFailure skipped the rest) or
 *                CANCELLED (an operator cancelled it; what had started still finishes)
 * @param endedAt when its last action ended; a cancelled batch may still wait for running actions (null then)
 * @param clusters each cluster in the order they are started; empty in the list of batches
 */
@Schema(description = "A rolling batch: one fleet action over many clusters, at most concurrency at a time",
        requiredProperties = {"id", "action", "force", "reason", "selection", "concurrency", "stopOnFailure",
                "pauseSeconds", "state", "total", "succeeded", "failed", "running", "pending", "requestedBy",
                "requestedAt", "clusters"})
public record Batch(
        @Schema(description = "The batch's id") String id,
        @Schema(description = "The action each cluster gets",
                enumeration = {"switchover", "quickCheck", "restore", "remove", "recover"}) String action,
        @Schema(description = "The node (for switchover the target; absent: each cluster's only standby)",
                nullable = true) String node,
        @Schema(description = "The resource; absent: every resource of each cluster", nullable = true) String tag,
        @Schema(description = "Whether actions that leave a cluster with no serving node run anyway") boolean force,
        @Schema(description = "Why, as the operator said") String reason,
        @Schema(description = "The selection as it was asked") BatchSelection selection,
        @Schema(description = "Clusters acted on at the same time", minimum = "1", maximum = "50") int concurrency,
        @Schema(description = "Whether a failed cluster stops new starts") boolean stopOnFailure,
        @Schema(description = "Seconds between two starts", minimum = "0", maximum = "3600") int pauseSeconds,
        @Schema(description = "RUNNING, PAUSED (no new starts), SUCCEEDED, FAILED (every cluster tried, some failed), "
                + "STOPPED (a cluster failed: the rest skipped), CANCELLED (what had started still finishes)",
                enumeration = {"RUNNING", "PAUSED", "SUCCEEDED", "FAILED", "STOPPED", "CANCELLED"}) String state,
        @Schema(description = "Clusters in the batch", minimum = "1") int total,
        @Schema(description = "Clusters whose action succeeded", minimum = "0") int succeeded,
        @Schema(description = "Clusters whose action failed or could not start", minimum = "0") int failed,
        @Schema(description = "Clusters whose action runs now", minimum = "0") int running,
        @Schema(description = "Clusters not started yet", minimum = "0") int pending,
        @Schema(description = "Who asked for it") String requestedBy,
        @Schema(implementation = String.class, format = "date-time", description = "When") Instant requestedAt,
        @Schema(implementation = String.class, format = "date-time", description = "When its last action ended; null "
                + "while any runs", nullable = true) Instant endedAt,
        @Schema(description = "Each cluster in start order (empty in the list of batches: GET the batch)")
        List<BatchCluster> clusters) {

    public static final String RUNNING = "RUNNING";
    public static final String PAUSED = "PAUSED";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String STOPPED = "STOPPED";
    public static final String CANCELLED = "CANCELLED";

    public Batch {
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }

    /** The same batch with its clusters and counts, as read from them. */
    public Batch withClusters(List<BatchCluster> all) {
        int[] n = new int[4];
        for (BatchCluster c : all) {
            switch (c.state()) {
                case BatchCluster.SUCCEEDED -> n[0]++;
                case BatchCluster.FAILED -> n[1]++;
                case BatchCluster.RUNNING -> n[2]++;
                case BatchCluster.PENDING -> n[3]++;
                default -> { }
            }
        }
        return new Batch(id, action, node, tag, force, reason, selection, concurrency, stopOnFailure, pauseSeconds,
                state, all.size(), n[0], n[1], n[2], n[3], requestedBy, requestedAt, endedAt, all);
    }

    public boolean ended() {
        return endedAt != null;
    }
}
