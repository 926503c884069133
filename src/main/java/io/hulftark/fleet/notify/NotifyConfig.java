package io.hulftark.fleet.notify;

import io.hulftark.fleet.state.ClusterState;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Notifications from the fleet view: hulftark.fleet.notify.receivers."NAME".* Credentials (secret, URLs with
 * tokens, the SMTP password in quarkus.mailer.*) come only from here and are never served or logged.
 */
@ConfigMapping(prefix = "hulftark.fleet.notify")
public interface NotifyConfig {

    /** How often changes are turned into messages and due messages are sent: the bound of their delay. */
    @WithDefault("500ms")
    Duration every();

    /** How long an instance owns a receiver's sending before another may take it over (a killed instance). */
    @WithDefault("60s")
    Duration lease();

    Map<String, Receiver> receivers();

    interface Receiver {
        /** webhook (JSON, signed), chat (Slack/Teams-style {"text": ...}) or mail (quarkus.mailer.*). */
        Kind type();

        /** webhook and chat: where to POST. */
        Optional<URI> url();

        /** webhook: the HMAC-SHA256 key of X-HulftArk-Signature (required); chat: optional. */
        Optional<String> secret();

        /** mail: the recipients. */
        Optional<List<String>> to();

        /** The states that are told; a change to another state ends ("resolves") a problem told. */
        @WithDefault("DOWN,SPLIT,STALE,DEGRADED")
        Set<ClusterState> states();

        /** Cluster names, globs with * and ?. */
        @WithDefault("*")
        List<String> clusters();

        /** Agents' labels a cluster must have (hulftark.agent.labels), each on one of its nodes or another. */
        Map<String, String> labels();

        /** How often a problem that lasts is told again; 0 tells it once. */
        @WithDefault("1h")
        Duration repeat();

        /** More messages than this due at once (a burst, or a backlog after an outage) go as one summary. */
        @WithDefault("10")
        int foldAbove();

        /** Bound of one delivery, connect included. */
        @WithDefault("10s")
        Duration timeout();

        /** The longest wait between attempts while the receiver does not accept (doubling from 1 s). */
        @WithDefault("5m")
        Duration maxBackoff();
    }

    enum Kind { WEBHOOK, CHAT, MAIL }
}
