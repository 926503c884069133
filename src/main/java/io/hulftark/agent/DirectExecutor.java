package io.hulftark.agent;

import io.hulftark.app.KitContext;
import io.hulftark.kit.Action;
import io.hulftark.kit.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * The kit in the agent's own process, under the same per-resource file lock as the CLI, its
 * messages both kept for the action record and given to the platform's log as the CLI gives them.
 */
public final class DirectExecutor implements ActionExecutor {

    private final KitContext context;

    public DirectExecutor(KitContext context) {
        this.context = context;
    }

    @Override
    public Outcome execute(Action action, String tag) {
        List<String> lines = new ArrayList<>();
        int exit = context.kit((m, args) -> {
            if (m != Message.DEBUG) {
                synchronized (lines) {
                    lines.add(m.line(args));
                }
            }
            context.reporter().report(m, args);
        }).run(action, tag);
        synchronized (lines) {
            return new Outcome(exit, List.copyOf(lines));
        }
    }

    @Override
    public String mode(Action action) {
        return "direct";
    }
}
