package io.hulftark.agent;

import io.hulftark.app.KitContext;
import io.hulftark.kit.Action;
import io.hulftark.kit.ActionLocks;
import io.hulftark.kit.Kit;
import io.hulftark.kit.Message;
import io.hulftark.kit.Reporter;
import io.hulftark.kit.Timing;
import io.hulftark.platform.FileActionLocks;

import java.util.ArrayList;
import java.util.List;

/**
 * The kit in the agent's own process, under the same per-resource file lock as the CLI, its
 * messages both kept for the action record and given to the platform's log as the CLI gives them.
 * It tells the agent when it holds the lock, so that an action waiting for it shows QUEUED.
 */
public final class DirectExecutor implements ActionExecutor {

    private final KitContext context;

    public DirectExecutor(KitContext context) {
        this.context = context;
    }

    @Override
    public Outcome execute(Action action, String tag) {
        return execute(action, tag, () -> { });
    }

    @Override
    public Outcome execute(Action action, String tag, Runnable lockHeld) {
        List<String> lines = new ArrayList<>();
        ActionLocks files = new FileActionLocks(context.stateDir());
        ActionLocks told = (t, bound) -> {
            ActionLocks.Held held = files.acquire(t, bound);
            try {
                lockHeld.run();
            } catch (RuntimeException | Error e) {
                held.close();
                throw e;
            }
            return held;
        };
        Reporter reporter = (m, args) -> {
            if (m != Message.DEBUG) {
                synchronized (lines) {
                    lines.add(m.line(args));
                }
            }
            context.reporter().report(m, args);
        };
        int exit = new Kit(context.parameters(), context.serviceNames(), context.platform().services(),
                context.platform().commands(), told, reporter, Timing.SYSTEM).run(action, tag);
        synchronized (lines) {
            return new Outcome(exit, List.copyOf(lines));
        }
    }

    @Override
    public String mode(Action action) {
        return "direct";
    }
}
