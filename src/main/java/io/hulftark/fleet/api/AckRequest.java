package io.hulftark.fleet.api;

import io.hulftark.wire.WireText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;

/** An operator acknowledges a cluster's current problem: until an instant (at most 30 days ahead) or until it ends. */
@Schema(description = "An acknowledgement of a cluster's current problem (refused with 409 when the cluster is OK)",
        requiredProperties = {"comment"})
public record AckRequest(@Schema(description = "Why: one line of at most 500 characters, not blank, without control characters or lone surrogates", minLength = 1,
                                 maxLength = 500) String comment,
                         @Schema(implementation = String.class, format = "date-time", description = "Until when: in the future, at most 30 days ahead; absent or null: as "
                                 + "long as the problem lasts", nullable = true) Instant until,
                         @Schema(description = "Whether it outlives a change of state (e.g. DOWN → SPLIT); it still "
                                 + "ends when the cluster returns to OK. Absent: false", nullable = true) Boolean sticky) {

    /** Why the comment is refused (a 400's one line), or null: a free text by the wire's rule. */
    public String commentProblem(int max) {
        return WireText.freeTextProblem("comment", comment, max, true);
    }
}
