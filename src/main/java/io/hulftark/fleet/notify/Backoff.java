package io.hulftark.fleet.notify;

import java.time.Duration;

/** The wait before the next attempt at a receiver that failed {@code failures} times in a row: 1 s, doubling, capped. */
public final class Backoff {

    static final Duration FIRST = Duration.ofSeconds(1);

    private Backoff() {
    }

    public static Duration after(int failures, Duration max) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        int shift = Math.min(failures - 1, 30); // 2^30 s is far beyond any cap
        Duration d = FIRST.multipliedBy(1L << shift);
        return d.compareTo(max) > 0 ? max : d;
    }
}
