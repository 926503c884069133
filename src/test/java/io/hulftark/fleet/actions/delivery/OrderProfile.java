package io.hulftark.fleet.actions.delivery;

import io.hulftark.fleet.api.FleetProfile;

import java.util.Set;

/** The fleet view of {@link FleetProfile} with the {@link MemoryOrderBook} as its order book. */
public class OrderProfile extends FleetProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(MemoryOrderBook.class);
    }
}
