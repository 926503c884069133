package io.hulftark.agent;

import io.hulftark.app.RoleOpenApiFilter;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One action asked of the agent, as it goes: QUEUED (waiting for its turn and the resource's lock),
 * RUNNING (holding it), then SUCCEEDED or FAILED; INTERRUPTED when the agent stopped or was killed
 * before it ended (its end is when a restarted agent found it, with no exit code); REFUSED when an order of the
 * fleet view was not taken (fleet actions not allowed, an unknown tag, a bad order): it never ran.
 *
 * @param requestedBy the caller's name from the token file (never the token)
 * @param mode        {@code direct} (the kit in this process) or {@code lifekeeper} (perform_action)
 * @param journal     {@code WRITTEN}: this state is in the agent's journal; {@code PENDING}: the journal's
 *                    disk cannot take it yet, it is kept in memory and written when it can be
 */
@Schema(description = "One action asked of the agent, as it goes", requiredProperties = {"id", "tag", "action", "reason",
        "requestedBy", "mode", "state", "requestedAt", "messages", "journal"}, properties = {
        @SchemaProperty(name = "id", description = "Its id (GET /api/v1/actions/{id})"),
        @SchemaProperty(name = "tag", description = "The resource's tag"),
        @SchemaProperty(name = "action", description = "What runs", enumeration = {"restore", "remove", "recover",
                "quickCheck"}),
        @SchemaProperty(name = "reason", description = "Why, as asked (may be empty)", maxLength = 500),
        @SchemaProperty(name = "requestedBy", description = "The caller's name from the token file (never the token)"),
        @SchemaProperty(name = "mode", description = "direct (the kit in this process) or lifekeeper (perform_action)",
                enumeration = {"direct", "lifekeeper"}),
        @SchemaProperty(name = "state", description = "QUEUED (waiting for the resource), RUNNING, then SUCCEEDED or "
                + "FAILED; INTERRUPTED when the agent stopped during it; REFUSED when an order of the fleet view was "
                + "not taken (it never ran; its message says why)",
                enumeration = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "INTERRUPTED", "REFUSED"}),
        @SchemaProperty(name = "requestedAt", description = "When it was asked for"),
        @SchemaProperty(name = "startedAt", description = "When it started; null while QUEUED", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true")),
        @SchemaProperty(name = "endedAt", description = "When it ended; null until then", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true")),
        @SchemaProperty(name = "exitCode", description = "The kit's exit code (0 success, 1 failure); null until it ends", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true")),
        @SchemaProperty(name = "durationMillis", description = "How long it ran; null until it ends", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true"),
                minimum = "0"),
        @SchemaProperty(name = "messages", description = "The kit's messages, one line each (CODE CATEGORY text)"),
        @SchemaProperty(name = "journal", description = "WRITTEN: this state is in the agent's journal; PENDING: the "
                + "journal's disk cannot take it yet, it is kept in memory and written as soon as it can be",
                enumeration = {"WRITTEN", "PENDING"})})
public record ActionRecord(String id, String tag, String action, String reason, String requestedBy, String mode,
                           String state, Instant requestedAt, Instant startedAt, Instant endedAt, Integer exitCode,
                           Long durationMillis, List<String> messages, String journal) {

    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String INTERRUPTED = "INTERRUPTED";
    public static final String REFUSED = "REFUSED";
    public static final String WRITTEN = "WRITTEN";
    public static final String PENDING = "PENDING";

    public ActionRecord(String id, String tag, String action, String reason, String requestedBy, String mode,
                        String state, Instant requestedAt, Instant startedAt, Instant endedAt, Integer exitCode,
                        Long durationMillis, List<String> messages) {
        this(id, tag, action, reason, requestedBy, mode, state, requestedAt, startedAt, endedAt, exitCode,
                durationMillis, messages, WRITTEN);
    }

    public ActionRecord started(Instant at) {
        return new ActionRecord(id, tag, action, reason, requestedBy, mode, RUNNING, requestedAt, at, null, null, null,
                List.of(), journal);
    }

    /** Its end; an action that never held the lock (it timed out waiting) ends with no start and no duration. */
    public ActionRecord ended(Instant at, int exit, List<String> output) {
        return new ActionRecord(id, tag, action, reason, requestedBy, mode, exit == 0 ? SUCCEEDED : FAILED,
                requestedAt, startedAt, at, exit, startedAt == null ? null : millis(startedAt, at),
                List.copyOf(output), journal);
    }

    /** Ended by the agent's stop or death, not by the kit: no exit code, and what is known of it. */
    public ActionRecord interrupted(Instant at, List<String> known) {
        List<String> all = new ArrayList<>(messages == null ? List.of() : messages);
        all.addAll(known);
        return new ActionRecord(id, tag, action, reason, requestedBy, mode, INTERRUPTED, requestedAt, startedAt, at,
                null, startedAt == null ? null : millis(startedAt, at), List.copyOf(all), journal);
    }

    /** An order of the fleet view that was not taken, ended as soon as asked: it never ran, {@code why} says why. */
    public static ActionRecord refused(String id, String tag, String action, String reason, String requestedBy,
                                       String mode, Instant at, String why) {
        return new ActionRecord(id, tag, action, reason, requestedBy, mode, REFUSED, at, null, at, null, null,
                List.of(why));
    }

    public ActionRecord journaled(boolean written) {
        String j = written ? WRITTEN : PENDING;
        return j.equals(journal) ? this : new ActionRecord(id, tag, action, reason, requestedBy, mode, state,
                requestedAt, startedAt, endedAt, exitCode, durationMillis, messages, j);
    }

    public boolean finished() {
        return endedAt != null;
    }

    private static long millis(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }
}
