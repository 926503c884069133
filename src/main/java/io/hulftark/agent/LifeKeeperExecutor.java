package io.hulftark.agent;

import io.hulftark.kit.Action;
import io.hulftark.platform.CommandResult;
import io.hulftark.platform.CommandRunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Actions through LifeKeeper ({@code perform_action -t TAG -a ACTION}), so that LifeKeeper's own view
 * of the resource stays true: LifeKeeper then runs our launcher, which takes the same lock.
 * quickCheck changes nothing and is not a perform_action action, so it runs the kit directly.
 */
public final class LifeKeeperExecutor implements ActionExecutor {

    private final Path performAction;
    private final CommandRunner runner;
    private final Duration bound;
    private final ActionExecutor direct;

    public LifeKeeperExecutor(Path performAction, CommandRunner runner, Duration bound, ActionExecutor direct) {
        this.performAction = performAction;
        this.runner = runner;
        this.bound = bound;
        this.direct = direct;
    }

    public static Path defaultPath(Path lkroot, boolean windows) {
        return lkroot.resolve("bin").resolve(windows ? "perform_action.exe" : "perform_action");
    }

    public List<String> argv(Action action, String tag) {
        return List.of(performAction.toString(), "-t", tag, "-a", action.word());
    }

    @Override
    public Outcome execute(Action action, String tag) {
        return execute(action, tag, () -> { });
    }

    /** perform_action's launcher takes the lock in its own process: the action is RUNNING from its start. */
    @Override
    public Outcome execute(Action action, String tag, Runnable lockHeld) {
        if (action == Action.QUICK_CHECK) {
            return direct.execute(action, tag, lockHeld);
        }
        lockHeld.run();
        CommandResult r = runner.run(argv(action, tag), bound);
        List<String> lines = r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).limit(200).toList();
        if (r.timedOut()) {
            return new Outcome(1, append(lines, "perform_action did not end within " + bound.toSeconds()
                    + " s and was killed"));
        }
        if (r.failedToStart() != null) {
            return new Outcome(1, append(lines, "cannot run " + performAction + ": " + r.failedToStart()));
        }
        return new Outcome(r.exitCode(), lines);
    }

    private static List<String> append(List<String> lines, String last) {
        return java.util.stream.Stream.concat(lines.stream(), java.util.stream.Stream.of(last)).toList();
    }

    @Override
    public String mode(Action action) {
        return action == Action.QUICK_CHECK ? "direct" : "lifekeeper";
    }
}
