package io.hulftark.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.cli.ExitCodes;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * --wait: reads a resource again and again until it has ended or the time is up. A fleet view that is briefly away
 * (a restart, a store hiccup) is asked again; one that stays away ends the wait with exit 6.
 */
final class Waiter {

    /** How many failed reads in a row end the wait: about half a minute at one read a second. */
    static final int MAX_FAILURES = 15;

    /** @param ended whether it has ended; {@code last} is what was read last */
    record Result(FleetClient.Answer last, boolean ended) {
    }

    private Waiter() {
    }

    static Result poll(FleetClient client, String path, FleetClient.Answer first, Duration timeout, Duration every,
                       Predicate<JsonNode> ended, Consumer<JsonNode> onEach, Consumer<String> note) {
        long deadline = System.nanoTime() + timeout.toNanos();
        FleetClient.Answer last = first;
        onEach.accept(first.json());
        int failures = 0;
        while (!ended.test(last.json())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Result(last, false);
            }
            sleep(Math.min(every.toNanos(), left));
            try {
                last = client.get(path);
                failures = 0;
                onEach.accept(last.json());
            } catch (CtlException e) {
                if (e.exitCode() != ExitCodes.UNREACHABLE || ++failures >= MAX_FAILURES) {
                    throw e;
                }
                if (failures == 1) {
                    note.accept(e.getMessage() + "; asking again");
                }
            }
        }
        return new Result(last, true);
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException(ExitCodes.UNREACHABLE, "interrupted while waiting");
        }
    }
}
