package io.hulftark.agent.push;

import io.hulftark.agent.ActionRecord;
import io.hulftark.agent.CheckResult;
import io.hulftark.agent.Event;
import io.hulftark.agent.History;
import io.hulftark.agent.ResourceState;
import io.hulftark.agent.ResourceView;
import io.hulftark.wire.ActionOutcome;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;
import io.hulftark.wire.WireText;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>A report also says what the fleet view may ask of this agent ({@code fleetActions}, {@code actionsVia}) and
 * carries its labels; every action event carries the action's {@link ActionOutcome}, by which the fleet view
 * follows the orders it sent (their id is the action's).
 * <p>The node's {@link NodeFacts} go in a report only when the receiver does not have them: their digest differs
 * from the one it names (the pusher: the last facts a 2xx took; a polling fleet view: {@code factsDigest}). A
 * heartbeat whose facts did not change is the same bytes as before there were facts.
 */
public final class AgentReports {

    /** Events in one report; more wait for the next one. */
    public static final int MAX_EVENTS = 500;
    private static final int MAX_TEXT = 500;
    /** An outcome's messages: the last ones (the conclusion), each cut; GET /api/v1/actions/{id} has them all. */
    static final int MAX_MESSAGES = 20;
    private static final int MAX_MESSAGE = 300;
    private static final int MAX_SHORT = 64;

    private final String cluster;
    private final String node;
    private final String agentVersion;
    private final Instant agentStartedAt;
    private final Supplier<List<ResourceView>> resources;
    private final History history;
    private final Clock clock;
    private final AtomicLong seq = new AtomicLong();
    private final String instance = UUID.randomUUID().toString();
    private final Map<String, String> labels;
    private final boolean fleetActions;
    private final String actionsVia;
    private final Supplier<NodeFacts> facts;

    /** An agent without labels that takes no fleet actions and runs its actions directly. */
    public AgentReports(String cluster, String node, String agentVersion, Instant agentStartedAt,
                        Supplier<List<ResourceView>> resources, History history, Clock clock) {
        this(cluster, node, agentVersion, agentStartedAt, resources, history, clock, Map.of(), false, "direct");
    }

    /**
     * @param labels       this node's labels (hulftark.agent.labels, already checked)
     * @param fleetActions whether this agent runs the fleet view's orders (hulftark.agent.fleet-actions.enabled)
     * @param actionsVia   {@code lifekeeper} when restore, remove and recover go through perform_action, else
     *                     {@code direct}
     */
    public AgentReports(String cluster, String node, String agentVersion, Instant agentStartedAt,
                        Supplier<List<ResourceView>> resources, History history, Clock clock,
                        Map<String, String> labels, boolean fleetActions, String actionsVia) {
        this(cluster, node, agentVersion, agentStartedAt, resources, history, clock, labels, fleetActions, actionsVia,
                null);
    }

    /**
     * @param facts collects the node's facts (cheap: files only), before each report; null: reports carry none
     */
    public AgentReports(String cluster, String node, String agentVersion, Instant agentStartedAt,
                        Supplier<List<ResourceView>> resources, History history, Clock clock,
                        Map<String, String> labels, boolean fleetActions, String actionsVia,
                        Supplier<NodeFacts> facts) {
        this.facts = facts;
        this.labels = Map.copyOf(labels);
        this.fleetActions = fleetActions;
        this.actionsVia = Objects.requireNonNull(actionsVia, "actionsVia");
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

    /** A report of the state now with these history events and the facts; {@code dropped} as the caller counts it. */
    public Report report(List<Event> events, long dropped) {
        return report(events, dropped, null);
    }

    /**
     * A report of the state now with these history events; the facts only when their digest differs from
     * {@code knownDigest} (null: the receiver has none).
     */
    public Report report(List<Event> events, long dropped, String knownDigest) {
        NodeFacts now = facts == null ? null : facts.get();
        return new Report(cluster, node, WireText.neutralise(agentVersion, 64), agentStartedAt, seq.incrementAndGet(),
                clock.instant(), resources.get().stream().map(AgentReports::resource).toList(),
                events.stream().map(AgentReports::event).toList(), dropped, instance, labels, fleetActions,
                actionsVia, now == null || now.digest().equals(knownDigest) ? null : now);
    }

    /**
     * What a polling fleet view asks for: the state now and the events after {@code after}, oldest first.
     * {@code dropped} counts the events after {@code after} the agent no longer holds in memory (0 for after=0,
     * a first contact, where older history is not a loss).
     */
    public Report after(long after) {
        return after(after, null);
    }

    /** {@link #after(long)}, with the facts only when their digest is not {@code factsDigest}. */
    public Report after(long after, String factsDigest) {
        List<Event> events = history.since(e -> e.seq() > after, MAX_EVENTS);
        long dropped = 0;
        if (after > 0) {
            long first = history.since(e -> true, 1).stream().findFirst().map(Event::seq).orElse(history.lastSeq() + 1);
            dropped = Math.max(0, first - after - 1);
        }
        return report(events, dropped, factsDigest);
    }

    static Report.Resource resource(ResourceView v) {
        CheckResult last = v.lastCheck();
        return new Report.Resource(v.tag(), v.service(), v.status(), v.role(), v.since(),
                WireText.neutralise(v.reason(), MAX_TEXT), last == null ? null : last.at(),
                last == null ? List.of() : last.ports().stream().map(p -> new Report.Port(p.key(), p.port(), p.ok(),
                        p.latencyMicros(), WireText.neutralise(p.detail(), MAX_TEXT))).toList());
    }

    static Report.Event event(Event e) {
        return new Report.Event(e.seq(), e.at(), e.tag(), e.type(), text(e), e.action() == null ? null
                : outcome(e.action()));
    }

    /** The action as the fleet view follows it: every free text neutralised and cut, the messages bounded. */
    public static ActionOutcome outcome(ActionRecord a) {
        List<String> all = a.messages() == null ? List.of() : a.messages();
        List<String> messages = new ArrayList<>();
        int from = Math.max(0, all.size() - MAX_MESSAGES);
        if (from > 0) {
            from++; // room for the line that says so
            messages.add("(" + from + " earlier messages left out: GET /api/v1/actions/" + a.id() + " on the agent)");
        }
        all.subList(from, all.size()).forEach(m -> messages.add(m == null ? "" : WireText.neutralise(m, MAX_MESSAGE)));
        return new ActionOutcome(a.id(), a.action(), a.state(), a.exitCode(), a.durationMillis(), messages, a.mode(),
                WireText.neutralise(a.requestedBy(), MAX_SHORT));
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
            if (ActionRecord.REFUSED.equals(a.state())) {
                if (!a.messages().isEmpty()) {
                    s.append(": ").append(a.messages().get(0));
                }
            } else if (a.finished()) {
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
