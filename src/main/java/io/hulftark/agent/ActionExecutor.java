package io.hulftark.agent;

import io.hulftark.kit.Action;

import java.util.List;

/** Runs one kit action for the agent: in this process, or through LifeKeeper. */
public interface ActionExecutor {

    record Outcome(int exitCode, List<String> messages) { }

    Outcome execute(Action action, String tag);

    /** {@code direct} or {@code lifekeeper}, as the action records say. */
    String mode(Action action);
}
