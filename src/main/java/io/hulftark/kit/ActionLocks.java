package io.hulftark.kit;

import java.time.Duration;

/** One action at a time per resource, across processes (the CLI run by LifeKeeper and the agent). */
@FunctionalInterface
public interface ActionLocks {

    /** Holds the resource's lock until closed; throws {@link Busy} if it is not free within {@code bound}. */
    Held acquire(String tag, Duration bound) throws Busy, InterruptedException;

    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    final class Busy extends Exception {
        public Busy(String message) {
            super(message);
        }
    }

    /** For callers that already serialize (and for unit tests of the steps). */
    ActionLocks NONE = (tag, bound) -> () -> { };
}
