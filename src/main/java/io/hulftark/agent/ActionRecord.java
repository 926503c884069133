package io.hulftark.agent;

import io.hulftark.app.RoleOpenApiFilter;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * One action asked of the agent, as it goes: QUEUED, RUNNING, then SUCCEEDED or FAILED.
 *
 * @param requestedBy the caller's name from the token file (never the token)
 * @param mode        {@code direct} (the kit in this process) or {@code lifekeeper} (perform_action)
 */
@Schema(description = "One action asked of the agent, as it goes", requiredProperties = {"id", "tag", "action", "reason",
        "requestedBy", "mode", "state", "requestedAt", "messages"}, properties = {
        @SchemaProperty(name = "id", description = "Its id (GET /api/v1/actions/{id})"),
        @SchemaProperty(name = "tag", description = "The resource's tag"),
        @SchemaProperty(name = "action", description = "What runs", enumeration = {"restore", "remove", "recover",
                "quickCheck"}),
        @SchemaProperty(name = "reason", description = "Why, as asked (may be empty)", maxLength = 500),
        @SchemaProperty(name = "requestedBy", description = "The caller's name from the token file (never the token)"),
        @SchemaProperty(name = "mode", description = "direct (the kit in this process) or lifekeeper (perform_action)",
                enumeration = {"direct", "lifekeeper"}),
        @SchemaProperty(name = "state", description = "QUEUED (waiting for the resource), RUNNING, then SUCCEEDED or "
                + "FAILED; INTERRUPTED when the agent stopped during it",
                enumeration = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "INTERRUPTED"}),
        @SchemaProperty(name = "requestedAt", description = "When it was asked for"),
        @SchemaProperty(name = "startedAt", description = "When it started; null while QUEUED", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true")),
        @SchemaProperty(name = "endedAt", description = "When it ended; null until then", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true")),
        @SchemaProperty(name = "exitCode", description = "The kit's exit code (0 success, 1 failure); null until it ends", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true")),
        @SchemaProperty(name = "durationMillis", description = "How long it ran; null until it ends", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true"),
                minimum = "0"),
        @SchemaProperty(name = "messages", description = "The kit's messages, one line each (CODE CATEGORY text)")})
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
