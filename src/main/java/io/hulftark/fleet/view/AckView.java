package io.hulftark.fleet.view;

import java.time.Instant;

/** An operator's acknowledgement of a cluster's problem; it never changes the state and it expires. */
public record AckView(long id, String cluster, String by, String comment, Instant at, Instant until) {
}
