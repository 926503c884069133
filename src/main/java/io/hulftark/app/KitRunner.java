package io.hulftark.app;

import io.hulftark.kit.Action;
import io.hulftark.kit.Kit;
import io.hulftark.kit.Message;
import io.hulftark.platform.ProcessCommandRunner;
import io.hulftark.platform.ProcessScope;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one kit action with a watchdog: the kit bounds every step itself, and if it still has not
 * ended shortly after LKHULFT_TIMEOUT, the watchdog reports the timeout, kills every process this
 * JVM started (with their trees), and ends the action with a failure all the same.
 */
public final class KitRunner {

    static final Duration GRACE = Duration.ofSeconds(3);

    private KitRunner() {
    }

    public static int run(KitContext context, Action action, String tag) {
        Kit kit = context.kit();
        AtomicInteger code = new AtomicInteger(Kit.EXIT_FAILED);
        Thread worker = new Thread(() -> code.set(kit.run(action, tag)), "kit-" + action.word());
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(context.parameters().timeout().plus(GRACE).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!worker.isAlive()) {
            return code.get();
        }
        context.reporter().report(Message.ACTION_TIMED_OUT, action.word(), tag,
                context.parameters().timeout().toSeconds());
        ProcessScope.toKill().forEach(ProcessCommandRunner::killTree);
        if (action == Action.REMOVE && context.parameters().forceRemove()) {
            context.reporter().report(Message.REMOVE_FORCED);
            return Kit.EXIT_OK;
        }
        return Kit.EXIT_FAILED;
    }
}
