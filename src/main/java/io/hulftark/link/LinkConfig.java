package io.hulftark.link;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The keys of {@code hulftark.fleet.*} that both the agent and the fleet view read: where and how an agent pushes,
 * and the heartbeat that is also the fleet view's poll interval. One mapping, in neither side's package, so both
 * agree on the meaning of every key. The fleet view's own keys are {@code io.hulftark.fleet.FleetConfig}'s.
 */
@ConfigMapping(prefix = "hulftark.fleet")
public interface LinkConfig {

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
}
