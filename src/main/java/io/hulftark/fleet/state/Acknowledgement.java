package io.hulftark.fleet.state;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An operator's "I know, I am on it": shown beside the cluster's state, it never changes the state, so an
 * acknowledged DOWN still counts as DOWN in the summary and for alerting.
 */
public record Acknowledgement(String by, String comment, Instant until) {

    public Acknowledgement {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(comment, "comment");
        // Every acknowledgement expires: a forgotten one must not hide a problem for ever.
        Objects.requireNonNull(until, "until");
    }

    /** Half-open like a maintenance window: at {@code until} the acknowledgement has expired. */
    public boolean activeAt(Instant now) {
        return now.isBefore(until);
    }

    /** Whether any of the cluster's acknowledgements is still in force. */
    public static boolean acknowledged(List<Acknowledgement> acknowledgements, Instant now) {
        return acknowledgements.stream().anyMatch(a -> a.activeAt(now));
    }
}
