package io.hulftark.fleet.api;

import io.hulftark.wire.WireText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;

/** An operator acknowledges a cluster's problem until an instant (at most 30 days ahead). */
@Schema(description = "An acknowledgement of a cluster's problem", requiredProperties = {"comment", "until"})
public record AckRequest(@Schema(description = "Why: one line of at most 500 characters, not blank, without control characters or lone surrogates", minLength = 1,
                                 maxLength = 500) String comment,
                         @Schema(description = "Until when: in the future, at most 30 days ahead") Instant until) {

    /** Why the comment is refused (a 400's one line), or null: a free text by the wire's rule. */
    public String commentProblem(int max) {
        return WireText.freeTextProblem("comment", comment, max, true);
    }
}
