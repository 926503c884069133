package io.hulftark.fleet.api;

import io.hulftark.fleet.actions.batch.BatchSelection;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.wire.WireText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** A rolling batch as an operator asks for it (POST /api/v1/fleet/batches). */
@Schema(description = "A rolling batch: one action over the selected clusters, at most concurrency at a time",
        requiredProperties = {"action", "selection"})
public record BatchRequest(
        @Schema(description = "The action each cluster gets",
                enumeration = {"switchover", "quickCheck", "restore", "remove", "recover"}) String action,
        @Schema(description = "The node that runs it (switchover: the target; absent: each cluster's only standby; "
                + "quickCheck: absent for every node)", nullable = true, maxLength = 64) String node,
        @Schema(description = "The resource; absent: every resource of each cluster", nullable = true, maxLength = 64)
        String tag,
        @Schema(description = "Run actions that leave a cluster with no serving node", nullable = true,
                defaultValue = "false") Boolean force,
        @Schema(description = "Why, for the audit: one line of at most 500 characters", nullable = true,
                maxLength = 500) String reason,
        @Schema(description = "Which clusters") BatchSelection selection,
        @Schema(description = "Clusters acted on at the same time", nullable = true, minimum = "1", maximum = "50",
                defaultValue = "1") Integer concurrency,
        @Schema(description = "Whether a failed cluster stops new starts (the running ones finish)", nullable = true,
                defaultValue = "false") Boolean stopOnFailure,
        @Schema(description = "Seconds between two starts", nullable = true, minimum = "0", maximum = "3600",
                defaultValue = "0") Integer pauseSeconds) {

    static final List<String> ACTIONS = List.of("switchover", "quickCheck", "restore", "remove", "recover");
    static final int MAX_NAMES = 1000;
    static final int MAX_LABELS = 32;
    private static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /** Why it is refused (one line naming the field), or null. */
    public String problem() {
        if (action == null || !ACTIONS.contains(action)) {
            return "action must be one of " + String.join(", ", ACTIONS);
        }
        String p = node == null ? null : WireText.idProblem("node", node);
        if (p == null) {
            p = WireText.nameProblem("tag", tag, 64, false);
        }
        if (p == null) {
            p = WireText.freeTextProblem("reason", reason, 500, false);
        }
        if (p == null && concurrency != null && (concurrency < 1 || concurrency > 50)) {
            p = "concurrency must be from 1 to 50, not " + concurrency;
        }
        if (p == null && pauseSeconds != null && (pauseSeconds < 0 || pauseSeconds > 3600)) {
            p = "pauseSeconds must be from 0 to 3600, not " + pauseSeconds;
        }
        return p != null ? p : selectionProblem(selection);
    }

    private static String selectionProblem(BatchSelection s) {
        if (s == null) {
            return "selection is missing (an empty object {} selects every cluster)";
        }
        if (s.clusters().size() > MAX_NAMES) {
            return "selection.clusters holds " + s.clusters().size() + " names: at most " + MAX_NAMES;
        }
        for (String name : s.clusters()) {
            String p = WireText.idProblem("selection.clusters[]", name);
            if (p != null) {
                return p;
            }
        }
        if (s.state() != null && !s.state().isBlank()) {
            try {
                ClusterState.valueOf(s.state().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return "selection.state must be one of OK, DEGRADED, DOWN, SPLIT, STALE, MAINTENANCE";
            }
        }
        if (s.q() != null) {
            String p = WireText.freeTextProblem("selection.q", s.q(), 64, false);
            if (p != null) {
                return p;
            }
        }
        if (s.labels().size() > MAX_LABELS) {
            return "selection.labels holds " + s.labels().size() + " labels: at most " + MAX_LABELS;
        }
        for (Map.Entry<String, String> l : s.labels().entrySet()) {
            if (!LABEL_KEY.matcher(l.getKey()).matches()) {
                return "selection.labels: a key is not a label key ([a-z][a-z0-9_]{0,62})";
            }
            String p = WireText.nameProblem("selection.labels." + l.getKey(), l.getValue(), 128, true);
            if (p != null) {
                return p;
            }
        }
        return null;
    }
}
