package io.hulftark.fleet.api;

import java.time.Instant;

/** An operator acknowledges a cluster's problem until an instant (at most 30 days ahead). */
public record AckRequest(String comment, Instant until) {
}
