package io.hulftark.kit;

import java.time.Duration;

/** Time as the kit sees it: a monotonic clock and a way to wait. Tests pass a fake that never sleeps. */
public interface Timing {

    long nanoTime();

    void sleep(Duration d) throws InterruptedException;

    Timing SYSTEM = new Timing() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            if (!d.isNegative() && !d.isZero()) {
                Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
            }
        }
    };
}
