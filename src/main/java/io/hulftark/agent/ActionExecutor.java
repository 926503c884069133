package io.hulftark.agent;

import io.hulftark.kit.Action;

import java.util.List;

/** Runs one kit action for the agent: in this process, or through LifeKeeper. */
public interface ActionExecutor {

    record Outcome(int exitCode, List<String> messages) { }

    Outcome execute(Action action, String tag);

    /**
     * Runs the action, calling {@code lockHeld} once it holds the resource's lock (the action is RUNNING from
     * then on; before, it waits QUEUED). An executor that cannot tell calls it as the action begins.
     */
    default Outcome execute(Action action, String tag, Runnable lockHeld) {
        lockHeld.run();
        return execute(action, tag);
    }

    /** {@code direct} or {@code lifekeeper}, as the action records say. */
    String mode(Action action);
}
