package io.hulftark.agent.api;

/** POST /api/v1/resources/{tag}/actions: restore, remove, recover or quickCheck, and why. */
public record ActionRequest(String action, String reason) {
}
