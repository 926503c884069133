package io.hulftark.fleet;

import io.hulftark.link.LinkConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet view's own side of {@code hulftark.fleet.*}: store, state rules, history, polling. The keys both sides
 * read (where and how an agent pushes, the heartbeat that is also the poll interval) are {@link LinkConfig}'s.
 */
@ConfigMapping(prefix = "hulftark.fleet")
public interface FleetConfig {

    /** embedded (a file database under hulftark.state-dir, nothing to install) or postgresql (quarkus.datasource.postgresql.*). */
    @WithDefault("embedded")
    Store store();

    /** A node's report is fresh this long after it was received; older, the node is silent. */
    @WithDefault("35s")
    Duration freshFor();

    /** The window in which serving changes are counted for flapping. */
    @WithDefault("10m")
    Duration flapWindow();

    /** More serving changes than this within flap-window is flapping. */
    @WithDefault("4")
    int flapChanges();

    /**
     * How far ahead of the fleet view's clock an agent's times are believed. Later ones (a status's since, an
     * event's time, the agent's start) are kept as the time the report was received; the node's clock skew still
     * shows. Reports are never ordered by the agent's clock.
     */
    @WithDefault("5m")
    Duration maxClockAhead();

    /** Events older than this are deleted from the history. */
    @WithDefault("720h")
    Duration retention();

    /** Agents the fleet view polls (sites where only the center may open connections): hulftark.fleet.poll."NAME".url/token. */
    Map<String, PolledAgent> poll();

    interface PolledAgent {
        /** The agent's base URL, e.g. http://node1:8686. */
        URI url();

        /** A viewer token of that agent. */
        String token();

        /**
         * An operator token of that agent, with which the fleet view hands it fleet actions (POST /api/v1/orders);
         * absent: the fleet view refuses actions on its node.
         */
        Optional<String> actionToken();
    }

    /** Drift between a cluster's nodes and failover readiness (issue 13). */
    Readiness readiness();

    interface Readiness {
        /**
         * degrade: a drift or a standby that could not take over makes an otherwise OK cluster DEGRADED (and is
         * acknowledgeable, notified, in the history); warn: they are shown on the cluster as warnings only.
         */
        @WithDefault("degrade")
        Effect effect();

        /**
         * Settings a site declares may differ between the nodes of a cluster (e.g. $exe_path when HULFT is
         * installed in another folder on each node), as NodeFacts names them: never drift.
         */
        Optional<java.util.List<String>> perNodeKeys();

        enum Effect { DEGRADE, WARN }
    }

    enum Store { EMBEDDED, POSTGRESQL }
}
