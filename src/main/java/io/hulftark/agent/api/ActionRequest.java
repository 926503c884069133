package io.hulftark.agent.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** POST /api/v1/resources/{tag}/actions: restore, remove, recover or quickCheck, and why. */
@Schema(description = "An action to run on a resource", requiredProperties = "action")
public record ActionRequest(
        @Schema(description = "What to run: LifeKeeper's restore, remove, recover or quickCheck",
                enumeration = {"restore", "remove", "recover", "quickCheck"}) String action,
        @Schema(description = "Why, for the history: one line of at most 500 characters (blanks around it dropped)",
                maxLength = 500, nullable = true) String reason) {
}
