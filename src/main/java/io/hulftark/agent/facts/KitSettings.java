package io.hulftark.agent.facts;

import io.hulftark.agent.AgentConfig;
import io.hulftark.app.KitConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The kit's settings that may leave the node, as an ALLOWLIST: each key here is read through its typed accessor
 * (a duration, a number, an enum, a host name) and is known to be harmless. A key that is not listed never goes
 * out, whatever it is called: tokens, passwords, the fleet view's URL (it may carry user:password@) and any key a
 * site adds stay on the node.
 */
public final class KitSettings {

    /** The keys that go out, without the {@code hulftark.} prefix (README "Node agent" lists them). */
    public static final List<String> KEYS = List.of("probe-host", "command-timeout", "probe-timeout", "platform",
            "agent.action-mode", "agent.check-interval", "agent.failures-before-failed", "agent.validate-interval");

    /** Shown instead of a value that looks as if it held a credential (user@ or user:password@). */
    static final String WITHHELD = "(withheld: it looks like a credential)";

    private KitSettings() {
    }

    /**
     * The listed settings' values as this agent runs them.
     *
     * @param actionMode the action mode in effect ({@code lifekeeper} or {@code direct})
     */
    public static Map<String, String> harmless(KitConfig kit, AgentConfig agent, String actionMode) {
        Map<String, String> s = new LinkedHashMap<>();
        kit.probeHost().ifPresent(h -> s.put("probe-host", h));
        s.put("command-timeout", duration(kit.commandTimeout()));
        s.put("probe-timeout", duration(kit.probeTimeout()));
        kit.platform().ifPresent(p -> s.put("platform", p.name().toLowerCase(Locale.ROOT)));
        s.put("agent.action-mode", actionMode);
        s.put("agent.check-interval", duration(agent.checkInterval()));
        s.put("agent.failures-before-failed", String.valueOf(agent.failuresBeforeFailed()));
        s.put("agent.validate-interval", duration(agent.validateInterval()));
        return guarded(s);
    }

    /** Only listed keys; a value with an '@' (user@host, a URL's userinfo) is withheld. */
    static Map<String, String> guarded(Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (KEYS.contains(key) && value != null) {
                out.put(key, value.indexOf('@') >= 0 ? WITHHELD : value);
            }
        });
        return out;
    }

    /** "10s", "2m", as a person writes them; the same duration gives the same text on every node. */
    static String duration(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
