package io.hulftark.agent.api;

import io.hulftark.wire.WireText;

/** POST /api/v1/resources/{tag}/actions: restore, remove, recover or quickCheck, and why. */
public record ActionRequest(String action, String reason) {

    public static final int MAX_REASON = 500;

    /**
     * Why the reason is refused (a 400's one line), or null: a free text by the wire's rule, so that it can
     * neither stop the agent's reports nor disguise itself (controls and lone surrogates refused, at most 500).
     */
    public String reasonProblem() {
        return WireText.freeTextProblem("reason", reason, MAX_REASON, false);
    }
}
