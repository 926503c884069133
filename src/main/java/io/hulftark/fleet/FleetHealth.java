package io.hulftark.fleet;

import io.hulftark.app.ServerRole;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthType;
import io.smallrye.health.registry.HealthRegistries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.util.Map;

/**
 * The fleet view's health, registered in the fleet role only: ready when its store answers and can write (a load
 * balancer then sends it reports and readers; a full disk or a lost database server makes
 * it DOWN with the reason); live while its background work runs. Never throws; a DOWN says why.
 */
@ApplicationScoped
public class FleetHealth {

    private final FleetService fleet;

    public FleetHealth(FleetService fleet) {
        this.fleet = fleet;
    }

    void register(@Observes StartupEvent event) {
        if (ServerRole.current() != ServerRole.FLEET) {
            return;
        }
        HealthRegistries.getRegistry(HealthType.READINESS).register("fleet store", store());
        HealthRegistries.getRegistry(HealthType.LIVENESS).register("fleet view", (HealthCheck) () ->
                HealthCheckResponse.named("fleet view").up().withData("streams", fleet.feed().subscribers()).build());
    }

    HealthCheck store() {
        return () -> {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("fleet store")
                    .withData("store", fleet.config().store().name().toLowerCase(java.util.Locale.ROOT));
            // A store that cannot write is DOWN even when it still reads (H2 opens a full disk's file again).
            // One look at the fault: the probe may find the store writable in between.
            var down = fleet.availability().flatMap(a -> a.down().map(d -> Map.entry(a.where() + " "
                    + d.fault().describe(), d.since())));
            if (down.isPresent()) {
                return b.down().withData("reason", down.get().getKey())
                        .withData("since", down.get().getValue().toString()).build();
            }
            try {
                return b.up().withData("lastEventId", fleet.store().lastEventId()).build();
            } catch (RuntimeException e) {
                return b.down().withData("reason", fleet.availability().flatMap(a -> a.problem())
                        .orElse("the store does not answer: " + e.getMessage())).build();
            }
        };
    }
}
