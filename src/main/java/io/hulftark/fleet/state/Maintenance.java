package io.hulftark.fleet.state;

import java.time.Instant;
import java.util.Objects;

/** A maintenance window an operator set: the cluster shows MAINTENANCE from {@code from} until {@code until}. */
public record Maintenance(Instant from, Instant until, String reason) {

    public Maintenance {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(reason, "reason");
        if (!until.isAfter(from)) {
            throw new IllegalArgumentException("a maintenance window must end after it starts: " + from + " .. " + until);
        }
    }

    /** Half-open, [from, until): at {@code until} the window is over and the derived state shows again. */
    public boolean covers(Instant now) {
        return !now.isBefore(from) && now.isBefore(until);
    }
}
