package io.hulftark.agent;

import io.hulftark.wire.Status;

import io.hulftark.hulft.HulEnv;
import io.hulftark.hulft.HulEnvException;
import io.hulftark.hulft.HulEnvReader;
import io.hulftark.hulft.PortChecker;
import io.hulftark.hulft.PortProbe;
import io.hulftark.hulft.ProbeResult;
import io.hulftark.kit.KitParameters;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceControl;
import io.hulftark.platform.ServiceState;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's check of one resource: quickCheck's checks (service state, then every configured
 * port) without quickCheck's messages, retries or side effects, each step bounded, with latencies.
 */
public final class Checker {

    private final KitParameters p;
    private final ServiceControl services;
    private final PortProbe probe;
    private final ResourceDirectory directory;
    private final Clock clock;

    public Checker(KitParameters parameters, ServiceControl services, PortProbe probe, ResourceDirectory directory,
                   Clock clock) {
        this.p = parameters;
        this.services = services;
        this.probe = probe;
        this.directory = directory;
        this.clock = clock;
    }

    /** Never throws: whatever goes wrong becomes an UNKNOWN result that says why. */
    public CheckResult check(String tag) {
        long t0 = System.nanoTime();
        Instant at = clock.instant();
        try {
            return checkUnguarded(tag, t0, at);
        } catch (RuntimeException e) {
            return result(tag, null, at, t0, Status.UNKNOWN, "the check failed: " + e.getMessage(), null, "unknown",
                    List.of());
        }
    }

    private CheckResult checkUnguarded(String tag, long t0, Instant at) {
        ResourceDirectory.Entry entry = directory.resolve(tag);
        if (entry.service() == null) {
            return result(tag, null, at, t0, Status.UNKNOWN, entry.problem(), null, "unknown", List.of());
        }
        String role = entry.expectedActive().map(a -> a ? "active" : "standby").orElse("unknown");
        ServiceState state;
        try {
            state = services.state(entry.service(), p.commandBound());
        } catch (PlatformException e) {
            return result(tag, entry.service(), at, t0, Status.UNKNOWN, "cannot tell the service's state: "
                    + e.getMessage(), null, role, List.of());
        }
        boolean expected = entry.expectedActive().orElse(false);
        return switch (state) {
            case RUNNING -> ports(tag, entry.service(), at, t0, role);
            case START_PENDING, STOP_PENDING -> result(tag, entry.service(), at, t0, Status.UNKNOWN,
                    "the service is " + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                    state.name(), role, List.of());
            case STOPPED, OTHER, NOT_INSTALLED -> {
                String what = state == ServiceState.NOT_INSTALLED ? "not installed" : "not running";
                yield expected
                        ? result(tag, entry.service(), at, t0, Status.FAILED,
                                "the service is " + what + " but is expected to run on this node", state.name(), role,
                                List.of())
                        : result(tag, entry.service(), at, t0, Status.STOPPED,
                                "the service is " + what + " (standby)", state.name(), role, List.of());
            }
        };
    }

    private CheckResult ports(String tag, String service, Instant at, long t0, String role) {
        HulEnv env;
        try {
            env = HulEnvReader.read(p.confFile().orElseThrow(() -> new HulEnvException(HulEnvException.Kind.UNREADABLE,
                    "hulftark.conf-file is not set")));
        } catch (HulEnvException e) {
            return result(tag, service, at, t0, Status.FAILED, "the configuration cannot be read: " + e.getMessage(),
                    "RUNNING", role, List.of());
        }
        List<Map.Entry<String, Integer>> keyed = new ArrayList<>(env.ports().entrySet());
        List<ProbeResult> results = PortChecker.checkAll(probe, p.probeHostFor(env),
                keyed.stream().map(Map.Entry::getValue).toList(), p.probeBound());
        List<PortCheck> checks = new ArrayList<>();
        Optional<String> firstFailure = Optional.empty();
        for (int i = 0; i < keyed.size(); i++) {
            ProbeResult r = results.get(i);
            String key = keyed.get(i).getKey();
            checks.add(new PortCheck(key, r.port(), r.ok(), r.code(), r.latency().toNanos() / 1000, r.detail()));
            if (!r.ok() && firstFailure.isEmpty()) {
                firstFailure = Optional.of("port " + r.port() + " (" + key + ") does not answer: " + r.code());
            }
        }
        return firstFailure
                .map(why -> result(tag, service, at, t0, Status.FAILED, why, "RUNNING", role, checks))
                .orElseGet(() -> result(tag, service, at, t0, Status.RUNNING,
                        checks.isEmpty() ? "running; no port is set" : "running; every port answers", "RUNNING",
                        role, checks));
    }

    private static CheckResult result(String tag, String service, Instant at, long t0, Status status, String reason,
                                      String serviceState, String role, List<PortCheck> ports) {
        return new CheckResult(tag, service, at, (System.nanoTime() - t0) / 1000, status, reason, serviceState, role,
                List.copyOf(ports));
    }
}
