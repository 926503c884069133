package io.hulftark.agent;

import io.hulftark.kit.ServiceNames;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a resource's service name comes from, and whether it is expected to run on this node:
 * {@code hulftark.agent.service."TAG"} first, else LifeKeeper. Whether it should run here is what
 * the agent's last direct action left (running after restore or recover, not after remove), else
 * LifeKeeper's resource state (ISP or ISU: yes; OSU or OSF: no).
 */
public final class ResourceDirectory {

    /** @param expectedActive empty when nobody says */
    public record Entry(String service, Optional<Boolean> expectedActive, String problem) {
        static Entry problem(String why) {
            return new Entry(null, Optional.empty(), why);
        }
    }

    private final Map<String, String> configured;
    private final Optional<ServiceNames> lifeKeeper;
    private final Map<String, Boolean> expectations = new ConcurrentHashMap<>();

    public ResourceDirectory(Map<String, String> configured, Optional<ServiceNames> lifeKeeper) {
        this.configured = Map.copyOf(configured);
        this.lifeKeeper = lifeKeeper;
    }

    public Entry resolve(String tag) {
        String service = configured.get(tag);
        if (service != null) {
            return new Entry(service, Optional.ofNullable(expectations.get(tag)), null);
        }
        if (lifeKeeper.isEmpty()) {
            return Entry.problem("no service name for " + tag + ": set hulftark.agent.service.\"" + tag
                    + "\" (LifeKeeper is not installed)");
        }
        ServiceNames.Lookup found = lifeKeeper.get().lookup(tag);
        if (found instanceof ServiceNames.Lookup.Found f) {
            // A direct action of this agent is news that LifeKeeper never heard, so it wins over LifeKeeper's state.
            Optional<Boolean> active = Optional.ofNullable(expectations.get(tag)).or(() -> switch (f.lifeKeeperState()) {
                case "ISP", "ISU" -> Optional.of(true);
                case "OSU", "OSF" -> Optional.of(false);
                default -> Optional.empty();
            });
            return new Entry(f.service(), active, null);
        }
        if (found instanceof ServiceNames.Lookup.NoSuchResource r) {
            return Entry.problem("LifeKeeper has no resource " + tag + " (" + r.detail() + ")");
        }
        if (found instanceof ServiceNames.Lookup.NoServiceName r) {
            return Entry.problem("LifeKeeper's resource " + tag + " names no service (" + r.detail() + ")");
        }
        return Entry.problem(((ServiceNames.Lookup.Failed) found).detail());
    }

    /** A direct action's outcome: whether the service is now meant to run here. */
    public void expect(String tag, boolean active) {
        expectations.put(tag, active);
    }
}
