package io.hulftark.agent;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** One entry of the agent's history: a status transition or a step of an action; {@code seq} grows by one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(long seq, String type, Instant at, String tag, ResourceState.Transition transition,
                    ActionRecord action) {

    public static final String TRANSITION = "transition";
    public static final String ACTION = "action";
}
