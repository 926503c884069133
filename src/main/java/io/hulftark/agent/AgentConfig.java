package io.hulftark.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The node agent's keys ({@code hulftark.agent.*}); each is documented in README.md. */
@ConfigMapping(prefix = "hulftark.agent")
public interface AgentConfig {

    /** The LifeKeeper tags to watch; default: the tags of hulftark.agent.service. */
    Optional<List<String>> tags();

    /** Service names where there is no LifeKeeper: hulftark.agent.service."TAG"=NAME. */
    Map<String, String> service();

    /** How often each resource is checked; at least 1 s. */
    @WithDefault("10s")
    Duration checkInterval();

    /** Unhealthy checks in a row before FAILED (or UNKNOWN) is shown; one healthy check is enough back. */
    @WithDefault("2")
    int failuresBeforeFailed();

    /** lifekeeper: actions go through perform_action; direct: the kit in the agent. Default: lifekeeper when LifeKeeper is installed. */
    Optional<ActionMode> actionMode();

    /** Default: $LKROOT/bin/perform_action. */
    Optional<Path> performAction();

    /** Checks kept in memory per resource for GET .../checks. */
    @WithDefault("100")
    int checksKept();

    /** Actions of one resource that may wait for their turn behind the running one; more are answered 429. */
    @WithDefault("16")
    int maxQueuedActions();

    Journal journal();

    /**
     * How often the agent runs the preflight of each resource (what {@code hulft-ark validate} checks) and reports
     * its rows with the node's facts; at least 10 s. POST /api/v1/validate runs it at once.
     */
    @WithDefault("10m")
    Duration validateInterval();

    /** Fleet actions: whether this agent runs the actions the fleet view sends it. */
    FleetActions fleetActions();

    /**
     * This node's labels for the fleet view, e.g. {@code site=osaka,env=prod}; checked at start by {@link Labels}
     * (a bad value stops the agent with one line naming the key).
     */
    Optional<String> labels();

    enum ActionMode { LIFEKEEPER, DIRECT }

    /**
     * TEST ONLY, never on a site: shifts this agent's clock by this much (e.g. 24h), so that a test can run an
     * agent whose clock is a day ahead and prove the fleet view keeps showing it. The agent warns when it is set.
     */
    Optional<Duration> testOnlyClockOffset();

    interface FleetActions {
        /**
         * Off by default: an agent runs nothing the fleet view asks until its own configuration allows it, so a
         * fleet view's operator token never reaches further than each site chose.
         */
        @WithDefault("false")
        boolean enabled();
    }

    interface Journal {
        /** Size of one journal file before it is rotated. */
        @WithDefault("8388608")
        long maxFileBytes();

        /** Journal files kept, the current one included. */
        @WithDefault("4")
        int files();

        /** Events (transitions, action steps) kept in memory for the API. */
        @WithDefault("2000")
        int eventsInMemory();
    }
}
