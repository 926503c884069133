package io.hulftark.agent.api;

import io.hulftark.wire.WireText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** POST /api/v1/resources/{tag}/actions: restore, remove, recover or quickCheck, and why. */
@Schema(description = "An action to run on a resource", requiredProperties = "action")
public record ActionRequest(
        @Schema(description = "What to run: LifeKeeper's restore, remove, recover or quickCheck",
                enumeration = {"restore", "remove", "recover", "quickCheck"}) String action,
        @Schema(description = "Why, for the history: one line of at most 500 characters, without control characters "
                + "or lone surrogates", maxLength = 500, nullable = true) String reason) {

    public static final int MAX_REASON = 500;

    /**
     * Why the reason is refused (a 400's one line), or null: a free text by the wire's rule, so that it can
     * neither stop the agent's reports nor disguise itself (controls and lone surrogates refused, at most 500).
     */
    public String reasonProblem() {
        return WireText.freeTextProblem("reason", reason, MAX_REASON, false);
    }
}
