package io.hulftark.fleet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet view: the agent's side (where and how it pushes) and the fleet view's own side (store, state rules,
 * history, polling). One mapping, because an agent and a fleet view must agree on the meaning of every key.
 */
@ConfigMapping(prefix = "hulftark.fleet")
public interface FleetConfig {

    // ---- agent side: push to the fleet view ----

    /** The fleet view's base URL, e.g. http://fleet.example:8690. No URL: the agent does not push. */
    Optional<URI> url();

    /** A reporter token of the fleet view (made with 'hulft-ark token new --role reporter --cluster C'). */
    Optional<String> token();

    /** How often the agent sends its state when nothing changed; also the poll interval of the fleet view. */
    @WithDefault("10s")
    Duration heartbeat();

    /** Transitions and actions the agent keeps while the fleet view is unreachable; the oldest are dropped beyond it. */
    @WithDefault("10000")
    int backlog();

    /** Bound of one push or poll request, connect included. */
    @WithDefault("5s")
    Duration requestTimeout();

    // ---- fleet view side ----

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
    }

    enum Store { EMBEDDED, POSTGRESQL }
}
