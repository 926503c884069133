package io.hulftark.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

import java.util.List;

/**
 * An agent's action as its report carries it: the fleet view finds the step of one of its actions by {@code id}
 * (an {@link ActionOrder}'s id) and takes its state, exit code, duration and messages from here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ReportActionOutcome", description = "An agent's action as its report carries it",
        requiredProperties = {"id", "action", "state"}, properties = {
        @SchemaProperty(name = "id", description = "The action's id (a fleet order's id for an action the fleet view "
                + "asked for)", maxLength = 64),
        @SchemaProperty(name = "action", description = "What ran", maxLength = 32),
        @SchemaProperty(name = "state", description = "Where it is",
                enumeration = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "INTERRUPTED", "REFUSED"}),
        @SchemaProperty(name = "exitCode", description = "The kit's exit code, once it ended"),
        @SchemaProperty(name = "durationMillis", description = "How long it ran, once it ended", minimum = "0"),
        @SchemaProperty(name = "messages", description = "Its messages (each free text, neutralised and cut)",
                maxItems = 200),
        @SchemaProperty(name = "mode", description = "How it ran", enumeration = {"lifekeeper", "direct"}),
        @SchemaProperty(name = "requestedBy", description = "Who asked for it", maxLength = 64)})
public record ActionOutcome(String id, String action, String state, Integer exitCode, Long durationMillis,
                            List<String> messages, String mode, String requestedBy) {

    /** The agent refused a fleet order (fleet actions not allowed, an unknown tag): it never ran. */
    public static final String REFUSED = "REFUSED";

    public ActionOutcome {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
