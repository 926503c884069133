package io.hulftark.fleet.api;

import io.hulftark.wire.WireText;

import java.time.Instant;

/** A maintenance window [from, until), at most 30 days long; from defaults to now. */
public record MaintenanceRequest(Instant from, Instant until, String reason) {

    /** Why the reason is refused (a 400's one line), or null: a free text by the wire's rule. */
    public String reasonProblem(int max) {
        return WireText.freeTextProblem("reason", reason, max, true);
    }
}
