package io.hulftark.fleet.view;

import java.time.Instant;
import java.util.Optional;

/**
 * Events in id order, oldest first.
 *
 * @param afterId only events with a greater id (0: from the oldest kept)
 * @param since   only events at or after this instant
 * @param limit   1 to 1000
 */
public record EventQuery(long afterId, Optional<Instant> since, Optional<String> cluster, int limit) {
}
