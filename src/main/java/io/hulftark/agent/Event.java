package io.hulftark.agent;

import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** One entry of the agent's history: a status transition or a step of an action; {@code seq} grows by one. */
@Schema(description = "One entry of the agent's history: a status transition or a step of an action",
        requiredProperties = {"seq", "type", "at", "tag"}, properties = {
        @SchemaProperty(name = "seq", description = "Grows by one with every event", minimum = "1"),
        @SchemaProperty(name = "type", description = "transition or action", enumeration = {"transition", "action"}),
        @SchemaProperty(name = "at", description = "When it happened"),
        @SchemaProperty(name = "tag", description = "The resource's tag"),
        @SchemaProperty(name = "transition", description = "The status change; only for a transition"),
        @SchemaProperty(name = "action", description = "The action as of this step; only for an action")})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(long seq, String type, Instant at, String tag, ResourceState.Transition transition,
                    ActionRecord action) {

    public static final String TRANSITION = "transition";
    public static final String ACTION = "action";
}
