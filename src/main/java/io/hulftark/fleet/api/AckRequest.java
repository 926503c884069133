package io.hulftark.fleet.api;

import io.hulftark.wire.WireText;

import java.time.Instant;

/** An operator acknowledges a cluster's problem until an instant (at most 30 days ahead). */
public record AckRequest(String comment, Instant until) {

    /** Why the comment is refused (a 400's one line), or null: a free text by the wire's rule. */
    public String commentProblem(int max) {
        return WireText.freeTextProblem("comment", comment, max, true);
    }
}
