package io.hulftark.fleet.actions.batch;

import io.hulftark.fleet.api.FleetProfile;

import java.util.Set;

/** The fleet view of {@link FleetProfile} with scripted fleet actions, for the batches' REST tests. */
public class BatchProfile extends FleetProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ScriptedFleetActions.class);
    }
}
