package io.hulftark.fleet.actions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How long the fleet view waits for each part of a fleet action: hulftark.fleet.actions.* */
@ConfigMapping(prefix = "hulftark.fleet.actions")
public interface ActionsConfig {

    /** An order its agent has not taken within this ends as TIMED_OUT (the agent may be down or not connected). */
    @WithDefault("30s")
    Duration deliveryTimeout();

    /** A step taken but not ended within this ends as TIMED_OUT (the agent's own LKHULFT_TIMEOUT-like bound). */
    @WithDefault("10m")
    Duration runTimeout();

    /** A switchover whose steps succeeded fails when the cluster is not OK served on the target within this. */
    @WithDefault("60s")
    Duration settleTimeout();
}
