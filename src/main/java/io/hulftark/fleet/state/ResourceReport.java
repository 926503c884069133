package io.hulftark.fleet.state;

import io.hulftark.wire.Status;

import java.util.Objects;

/**
 * One resource as a node's agent reports it.
 *
 * @param role   {@code active}, {@code standby} or {@code unknown}, as the agent says (LifeKeeper's view)
 * @param reason the agent's one-line reason for the status, may be null
 */
public record ResourceReport(String tag, Status status, String role, String reason) {

    public ResourceReport {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(role, "role");
    }

    /** "FAILED (active: port 30000 does not answer)": the status as problems and reasons show it. */
    String describe() {
        return status + " (" + role + (reason == null || reason.isBlank() ? "" : ": " + reason) + ")";
    }
}
