package io.hulftark.ocf;

import io.hulftark.kit.KitParameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One action's checked parameters (see {@link OcfParameters#ALL} for each).
 *
 * @param resource      Pacemaker's name of the resource (OCF_RESOURCE_INSTANCE)
 * @param actionTimeout bounds the whole action, as LKHULFT_TIMEOUT does under LifeKeeper
 */
public record OcfSettings(String resource, String service, Path exePath, Path confFile, String tag, int retries,
                          KitParameters.ProbeKind probe, Optional<String> probeHost, Duration commandTimeout,
                          Duration probeTimeout, boolean debug, Duration actionTimeout) {

    /**
     * The kit's parameters. A failed stop is never forced to success (LifeKeeper's LKHULFT_FORCE_REMOVE):
     * Pacemaker must learn of it, because it fences the node rather than start HULFT twice.
     */
    public KitParameters kitParameters(boolean windows) {
        return new KitParameters(Optional.of(exePath), Optional.of(confFile), debug, retries, actionTimeout, false,
                probe, probeHost, commandTimeout, probeTimeout, windows);
    }
}
