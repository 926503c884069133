package io.hulftark.fleet.actions;

import java.util.Optional;

/** Starting and reading fleet actions: what the REST API, batches and the dashboard use. */
public interface FleetActions {

    /**
     * Checks and records the action, then runs it in the background.
     *
     * @param batch the batch it belongs to, or null
     * @throws ActionRefused when it cannot start (unknown cluster or node, busy, needs force, not allowed)
     */
    FleetAction start(String cluster, ActionSpec spec, String requestedBy, String batch);

    Optional<FleetAction> get(String id);
}
