package io.hulftark.kit;

import java.time.Duration;

/** The end of an action's time (LKHULFT_TIMEOUT). Every bound inside the action is cut to what is left. */
public final class Deadline {

    private final Timing timing;
    private final long endNanos;

    private Deadline(Timing timing, long endNanos) {
        this.timing = timing;
        this.endNanos = endNanos;
    }

    public static Deadline after(Duration d, Timing timing) {
        return new Deadline(timing, timing.nanoTime() + d.toNanos());
    }

    public Duration remaining() {
        long left = endNanos - timing.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    public boolean expired() {
        return endNanos - timing.nanoTime() <= 0;
    }

    /** {@code own} or what is left of the action, whichever is shorter. */
    public Duration bound(Duration own) {
        Duration left = remaining();
        return own.compareTo(left) < 0 ? own : left;
    }
}
