package io.hulftark.agent.push;

import io.hulftark.agent.ActionRecord;
import io.hulftark.agent.CheckResult;
import io.hulftark.agent.Event;
import io.hulftark.agent.History;
import io.hulftark.agent.ResourceState;
import io.hulftark.agent.ResourceView;
import io.hulftark.wire.Report;
import io.hulftark.wire.WireText;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Builds this agent's {@link Report}: who it is, its resources now, and history events as one-line texts.
 * The pusher and GET /api/v1/report share one instance, so their reports share one {@code seq} and one
 * {@code instance} (random per agent process): a fleet view that both polls and is pushed to still orders them
 * right, and never by this agent's clock. Every free text goes out neutralised by the wire's rule
 * ({@link WireText}), so no text the agent took can make the fleet view refuse its reports.
 */
public final class AgentReports {

    /** Events in one report; more wait for the next one. */
    public static final int MAX_EVENTS = 500;
    private static final int MAX_TEXT = 500;

    private final String cluster;
    private final String node;
    private final String agentVersion;
    private final Instant agentStartedAt;
    private final Supplier<List<ResourceView>> resources;
    private final History history;
    private final Clock clock;
    private final AtomicLong seq = new AtomicLong();
    private final String instance = UUID.randomUUID().toString();

    public AgentReports(String cluster, String node, String agentVersion, Instant agentStartedAt,
                        Supplier<List<ResourceView>> resources, History history, Clock clock) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.node = Objects.requireNonNull(node, "node");
        this.agentVersion = agentVersion;
        this.agentStartedAt = agentStartedAt;
        this.resources = resources;
        this.history = history;
        this.clock = clock;
    }

    public History history() {
        return history;
    }

    /** This agent process's id in its reports. */
    public String instance() {
        return instance;
    }

    /** A report of the state now with these history events; {@code dropped} as the caller counts it. */
    public Report report(List<Event> events, long dropped) {
        return new Report(cluster, node, WireText.neutralise(agentVersion, 64), agentStartedAt, seq.incrementAndGet(),
                clock.instant(), resources.get().stream().map(AgentReports::resource).toList(),
                events.stream().map(AgentReports::event).toList(), dropped, instance);
    }

    /**
     * What a polling fleet view asks for: the state now and the events after {@code after}, oldest first.
     * {@code dropped} counts the events after {@code after} the agent no longer holds in memory (0 for after=0,
     * a first contact, where older history is not a loss).
     */
    public Report after(long after) {
        List<Event> events = history.since(e -> e.seq() > after, MAX_EVENTS);
        long dropped = 0;
        if (after > 0) {
            long first = history.since(e -> true, 1).stream().findFirst().map(Event::seq).orElse(history.lastSeq() + 1);
            dropped = Math.max(0, first - after - 1);
        }
        return report(events, dropped);
    }

    static Report.Resource resource(ResourceView v) {
        CheckResult last = v.lastCheck();
        return new Report.Resource(v.tag(), v.service(), v.status(), v.role(), v.since(),
                WireText.neutralise(v.reason(), MAX_TEXT), last == null ? null : last.at(),
                last == null ? List.of() : last.ports().stream().map(p -> new Report.Port(p.key(), p.port(), p.ok(),
                        p.latencyMicros(), WireText.neutralise(p.detail(), MAX_TEXT))).toList());
    }

    static Report.Event event(Event e) {
        return new Report.Event(e.seq(), e.at(), e.tag(), e.type(), text(e));
    }

    /** "RUNNING → FAILED: port 30000 does not answer", "restore by alice: SUCCEEDED (exit 0, 2.1 s)". */
    static String text(Event e) {
        String text;
        if (e.transition() != null) {
            ResourceState.Transition t = e.transition();
            text = t.from() + " → " + t.to() + (blank(t.reason()) ? "" : ": " + t.reason());
        } else if (e.action() != null) {
            ActionRecord a = e.action();
            StringBuilder s = new StringBuilder(a.action());
            if (!blank(a.requestedBy())) {
                s.append(" by ").append(a.requestedBy());
            }
            s.append(": ").append(a.state());
            if (a.finished()) {
                s.append(a.exitCode() == null ? " (no exit code" : " (exit " + a.exitCode());
                if (a.durationMillis() != null) {
                    s.append(String.format(Locale.ROOT, ", %.1f s", a.durationMillis() / 1000.0));
                }
                s.append(')');
                if ((a.exitCode() == null || a.exitCode() != 0) && !a.messages().isEmpty()) {
                    s.append(": ").append(a.messages().get(a.messages().size() - 1));
                }
            } else if ("QUEUED".equals(a.state()) && !blank(a.reason())) {
                s.append(" (reason: ").append(a.reason()).append(')');
            }
            text = s.toString();
        } else {
            text = e.type();
        }
        // One line for people, by the rule the fleet view applies: no control character (C1 included), bounded.
        return WireText.neutralise(text, MAX_TEXT);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
