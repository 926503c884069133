package io.hulftark.fleet.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's "I know, I am on it" for the cluster's current problem, as Icinga and Nagios have it: shown beside
 * the state, it never changes the state (an acknowledged DOWN still counts as DOWN), and it belongs to the problem
 * it was given for.
 *
 * <ul>
 *   <li>Refused on an OK cluster: there is no problem to acknowledge ({@link #refusal}).</li>
 *   <li>Ends when the cluster returns to OK; unless {@code sticky}, also when the state changes (DOWN → SPLIT is
 *       another problem); at {@code until}, when set ({@link #endsWhy}).</li>
 *   <li>{@code until} is optional: an acknowledgement without one still ends with its problem, so a forgotten one
 *       hides nothing once the cluster recovered (the REST API bounds a given until to 30 days ahead).</li>
 * </ul>
 *
 * @param state   the state it acknowledged (the problem's kind)
 * @param problem the state's reason when it was given, one line (the problem as the operator saw it)
 * @param until   when it expires, or null: it lasts as long as its problem
 */
public record Acknowledgement(String by, String comment, ClusterState state, String problem, boolean sticky,
                             Instant until) {

    public Acknowledgement {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(problem, "problem");
    }

    /** Why an acknowledgement of a cluster in {@code state} is refused (one line), or empty when it is taken. */
    public static Optional<String> refusal(String cluster, ClusterState state) {
        return state == ClusterState.OK
                ? Optional.of("cluster '" + cluster + "' is OK: there is no problem to acknowledge")
                : Optional.empty();
    }

    /** Half-open like a maintenance window: at {@code until} the acknowledgement has expired. */
    public boolean activeAt(Instant now) {
        return until == null || now.isBefore(until);
    }

    /**
     * Why this acknowledgement ends when the cluster, derived at {@code now}, went from {@code before} to
     * {@code after} (the same state when nothing changed), or empty when it stays: "cluster recovered",
     * "state changed DOWN → SPLIT", "expired". Recovery first: it is the news.
     */
    public Optional<String> endsWhy(ClusterState before, ClusterState after, Instant now) {
        if (after == ClusterState.OK) {
            return Optional.of("cluster recovered");
        }
        if (!sticky && before != null && before != after) {
            return Optional.of("state changed " + before + " → " + after);
        }
        if (!activeAt(now)) {
            return Optional.of("expired");
        }
        return Optional.empty();
    }
}
