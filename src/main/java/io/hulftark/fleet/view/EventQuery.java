package io.hulftark.fleet.view;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which events, in which order: id order (oldest first, what a reader that follows the history needs), or newest
 * first by the time they happened (what people read), paged by the last event of the previous page.
 *
 * @param afterId only events with a greater id (0: from the oldest kept)
 * @param since   only events at or after this instant
 * @param kind    only events of this kind (STATE, TRANSITION, ...)
 * @param node    only events of this node
 * @param order   ID (oldest first) or NEWEST (newest first by time, ties newest id first)
 * @param before  with NEWEST: only the events that come after this event in that order (the next page)
 * @param limit   1 to 1000
 */
public record EventQuery(long afterId, Optional<Instant> since, Optional<String> cluster, Optional<String> kind,
                         Optional<String> node, Order order, OptionalLong before, int limit) {

    public enum Order { ID, NEWEST }

    public EventQuery {
        Objects.requireNonNull(order, "order");
        if (before.isPresent() && order != Order.NEWEST) {
            throw new IllegalArgumentException("before pages the NEWEST order only");
        }
    }

    /** Id order with no kind or node filter: what a reader following the history asks. */
    public EventQuery(long afterId, Optional<Instant> since, Optional<String> cluster, int limit) {
        this(afterId, since, cluster, Optional.empty(), Optional.empty(), Order.ID, OptionalLong.empty(), limit);
    }
}
