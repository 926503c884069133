package io.hulftark.agent.health;

import io.hulftark.agent.AgentService;
import io.hulftark.agent.History;
import io.hulftark.agent.ResourceView;
import io.hulftark.wire.Status;
import io.hulftark.app.ServerRole;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.health.api.HealthType;
import io.smallrye.health.registry.HealthRegistries;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Liveness: the check rounds still run. Readiness: the agent has resources and can tell their
 * state. The {@code hulft} group (/q/health/group/hulft): one check per resource, where a standby
 * node's stopped HULFT is UP with role=standby. Every DOWN says why in its data; none throws.
 */
@ApplicationScoped
public class AgentHealth {

    private final AgentService agent;

    public AgentHealth(AgentService agent) {
        this.agent = agent;
    }

    /**
     * Builds the agent (its checks start) and registers its health checks, in the agent role only: the same
     * application runs the fleet view, which must neither check HULFT nor report the agent's health.
     */
    void start(@Observes StartupEvent event) {
        if (ServerRole.current() != ServerRole.AGENT) {
            return;
        }
        HealthRegistries.getRegistry(HealthType.LIVENESS).register("agent", rounds());
        HealthRegistries.getRegistry(HealthType.READINESS).register("configuration", configuration());
        HealthRegistries.getRegistry(HealthType.READINESS).register("journal", journal());
        HealthRegistry hulft = HealthRegistries.getHealthGroupRegistry("hulft");
        for (String tag : agent.core().tags()) {
            hulft.register("hulft " + tag, (HealthCheck) () -> resource(tag));
        }
    }

    HealthCheckResponse resource(String tag) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("hulft " + tag);
        Optional<ResourceView> view = agent.core().resource(tag);
        if (view.isEmpty()) {
            return b.down().withData("reason", "not a resource of this agent").build();
        }
        ResourceView v = view.get();
        b.withData("tag", tag).withData("status", v.status().name()).withData("role", v.role())
                .withData("since", String.valueOf(v.since())).withData("reason", String.valueOf(v.reason()));
        if (v.service() != null) {
            b.withData("service", v.service());
        }
        return (v.status() == Status.RUNNING || v.status() == Status.STOPPED ? b.up() : b.down()).build();
    }

    HealthCheck rounds() {
        return () -> {
            Duration late = agent.config().checkInterval().multipliedBy(3).plusSeconds(10);
            Instant last = agent.lastRound();
            HealthCheckResponseBuilder b = HealthCheckResponse.named("agent").withData("lastRound", last.toString());
            return (Instant.now().isAfter(last.plus(late))
                    ? b.down().withData("reason", "no check round for " + late.toSeconds() + " s")
                    : b.up()).build();
        };
    }

    /** DOWN while the journal cannot be written (a full disk): actions still run, their records wait in memory. */
    HealthCheck journal() {
        return () -> journal(agent.core().history().journalState());
    }

    static HealthCheckResponse journal(History.JournalState j) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("journal").withData("dir", j.dir())
                .withData("pending", j.pending());
        if (j.dropped() > 0) {
            b.withData("dropped", j.dropped());
        }
        if (j.writable()) {
            return b.up().build();
        }
        return b.down().withData("reason", (j.reason() == null ? "cannot write the journal in " + j.dir() : j.reason())
                        + "; " + j.pending() + " records wait in memory and are written when the disk has room")
                .withData("since", String.valueOf(j.failingSince())).build();
    }

    HealthCheck configuration() {
        return () -> {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("configuration")
                    .withData("platform", agent.context().platform().name())
                    .withData("actionMode", agent.mode())
                    .withData("resources", String.join(",", agent.core().tags()));
            if (agent.core().tags().isEmpty()) {
                return b.down().withData("reason", "no resource to watch: set hulftark.agent.tags or "
                        + "hulftark.agent.service.\"TAG\"").build();
            }
            if (agent.context().parameters().confFile().isEmpty() || agent.context().parameters().exePath().isEmpty()) {
                return b.down().withData("reason", "hulftark.exe-path and hulftark.conf-file must be set").build();
            }
            Optional<ResourceView> unresolved = agent.core().resources().stream()
                    .filter(v -> v.lastCheck() != null && v.lastCheck().service() == null).findFirst();
            return unresolved.map(v -> b.down().withData("reason", v.lastCheck().reason()).build())
                    .orElseGet(() -> b.up().build());
        };
    }
}
