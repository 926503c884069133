package io.hulftark.agent;

import io.hulftark.wire.Status;

import io.hulftark.agent.push.FleetPusher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The agent's Prometheus metrics (at /q/metrics): per-port check results and latency, each
 * resource's status, every check's duration, actions by kind and outcome with their durations, and the
 * push to the fleet view (reports taken and failed, backlog, dropped events, last success).
 */
@ApplicationScoped
public class AgentMetrics implements AgentCore.Listener {

    private final MeterRegistry registry;

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One gauge per resource and status: 1 for the status it is in, 0 for the others. */
    void watch(AgentCore core) {
        for (String tag : core.tags()) {
            for (Status s : Status.values()) {
                Gauge.builder("hulftark.resource.status", core,
                                c -> c.resource(tag).map(v -> v.status() == s ? 1.0 : 0.0).orElse(0.0))
                        .tag("tag", tag).tag("status", s.name())
                        .description("1 when the resource is in this status")
                        .register(registry);
            }
        }
    }

    /** The push to the fleet view, read from the pusher when scraped. */
    void watch(FleetPusher pusher) {
        FunctionCounter.builder("hulftark.fleet.pushes", pusher, FleetPusher::succeeded).tag("outcome", "ok")
                .description("reports the fleet view took (2xx)").register(registry);
        FunctionCounter.builder("hulftark.fleet.pushes", pusher, FleetPusher::failed).tag("outcome", "failed")
                .description("reports that failed: no connection, no answer in time, or not 2xx").register(registry);
        FunctionCounter.builder("hulftark.fleet.dropped", pusher, FleetPusher::dropped)
                .description("events dropped because the backlog was full").register(registry);
        Gauge.builder("hulftark.fleet.backlog", pusher, FleetPusher::backlog)
                .description("transitions and actions waiting for the fleet view").register(registry);
        // Prometheus's convention for an instant: a _timestamp_seconds gauge of seconds since the epoch.
        Gauge.builder("hulftark.fleet.last.success.timestamp", pusher,
                        p -> p.lastSuccess() == null ? Double.NaN : p.lastSuccess().toEpochMilli() / 1000.0)
                .baseUnit("seconds")
                .description("when the fleet view last took a report (seconds since the epoch)").register(registry);
    }

    @Override
    public void checked(CheckResult check, Status status) {
        Timer.builder("hulftark.check").tag("tag", check.tag()).tag("observed", check.observed().name())
                .description("one check of a resource").register(registry)
                .record(Duration.ofNanos(check.durationMicros() * 1000));
        for (PortCheck p : check.ports()) {
            Timer.builder("hulftark.port.check").tag("tag", check.tag()).tag("port", Integer.toString(p.port()))
                    .tag("key", p.key()).tag("result", p.ok() ? "ok" : "failed")
                    .description("one port probe: its latency and result").register(registry)
                    .record(Duration.ofNanos(p.latencyMicros() * 1000));
        }
    }

    @Override
    public void transition(ResourceState.Transition t) {
        Counter.builder("hulftark.resource.transitions").tag("tag", t.tag()).tag("to", t.to().name())
                .description("changes of a resource's status, by the status it changed to").register(registry)
                .increment();
    }

    @Override
    public void actionEnded(ActionRecord r) {
        Timer.builder("hulftark.action").tag("tag", r.tag()).tag("action", r.action())
                .tag("outcome", r.state().toLowerCase(java.util.Locale.ROOT)).tag("mode", r.mode())
                .description("actions asked of the agent, by kind and outcome").register(registry)
                .record(Duration.ofMillis(r.durationMillis() == null ? 0 : r.durationMillis()));
    }
}
