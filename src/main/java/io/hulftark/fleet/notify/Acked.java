package io.hulftark.fleet.notify;

import java.time.Instant;

/**
 * An acknowledgement as notifications tell it: who gave it, their comment, until when (null: until the problem
 * ends) and whether it outlives a change of state. In a RESOLVED message only {@code by} is set.
 */
public record Acked(String by, String comment, Instant until, boolean sticky) {
}
