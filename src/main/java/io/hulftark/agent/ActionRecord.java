package io.hulftark.agent;

import java.time.Instant;
import java.util.List;

/**
 * One action asked of the agent, as it goes: QUEUED, RUNNING, then SUCCEEDED or FAILED.
 *
 * @param requestedBy the caller's name from the token file (never the token)
 * @param mode        {@code direct} (the kit in this process) or {@code lifekeeper} (perform_action)
 */
public record ActionRecord(String id, String tag, String action, String reason, String requestedBy, String mode,
                           String state, Instant requestedAt, Instant startedAt, Instant endedAt, Integer exitCode,
                           Long durationMillis, List<String> messages) {

    public ActionRecord started(Instant at) {
        return new ActionRecord(id, tag, action, reason, requestedBy, mode, "RUNNING", requestedAt, at, null, null, null,
                List.of());
    }

    public ActionRecord ended(Instant at, int exit, List<String> output) {
        return new ActionRecord(id, tag, action, reason, requestedBy, mode, exit == 0 ? "SUCCEEDED" : "FAILED",
                requestedAt, startedAt, at, exit, at.toEpochMilli() - startedAt.toEpochMilli(), List.copyOf(output));
    }

    public boolean finished() {
        return endedAt != null;
    }
}
