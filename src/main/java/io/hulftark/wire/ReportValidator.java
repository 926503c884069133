package io.hulftark.wire;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a report before anything of it is kept, by the wire's text rule ({@link WireText}) on both sides: the
 * agent checks what it is about to send, the fleet view what it received. Names and structure (identifiers,
 * tags, sizes, missing fields) are faults: one line naming the first, and for a fault inside an event, that
 * event's seq, so an agent can set that event aside and send the rest. Free texts (event texts, reasons, port
 * details, the agent's version) are never a fault: {@link #neutralised} makes them safe to keep and show. The same
 * holds for a report's facts ({@link NodeFacts}: their bounds and names are faults, their values, details and
 * descriptions are neutralised), where {@link #neutralised} also drops any setting whose key looks secret and hides
 * any value that carries URL userinfo.
 */
public final class ReportValidator {

    public static final int MAX_RESOURCES = 64;
    public static final int MAX_PORTS = 64;
    public static final int MAX_EVENTS = 1000;
    /** Code points kept of a free text (longer ones are cut, marked with an ellipsis). */
    public static final int MAX_TEXT = 1000;
    static final int MAX_SHORT = 64;
    static final int MAX_SERVICE = 256;
    /** Labels of one agent (hulftark.agent.labels): every one is on each of its cluster's metrics series. */
    public static final int MAX_LABELS = 32;
    /** Code points of a label's value. */
    public static final int MAX_LABEL_VALUE = 128;
    /** A label's key: also a Prometheus label name after "label_", and never holds the "=" of key=value. */
    public static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    /** How an agent runs actions, when it says. */
    public static final Set<String> ACTIONS_VIA = Set.of("lifekeeper", "direct");
    private static final Set<String> EVENT_TYPES = Set.of("transition", "action");
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> PREFLIGHT_RESULTS = Set.of(NodeFacts.PreflightRow.OK, NodeFacts.PreflightRow.WARN,
            NodeFacts.PreflightRow.FAIL);
    /**
     * A setting's key that looks like it names a secret. The agent never sends one (its settings are an allowlist);
     * the fleet view drops them all the same before it keeps anything: defence in depth, whatever a future agent or
     * a forged report sends.
     */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "passw(or)?d|pwd|secret|token|credential|private|api[-_.]?key", Pattern.CASE_INSENSITIVE);
    /** A URL with userinfo (scheme://user:pass@host, or a token as the user): the whole value is hidden. */
    private static final Pattern USERINFO = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/?#\\s@]*@");
    /** What a value carrying URL userinfo is kept as. */
    public static final String HIDDEN = "(hidden)";
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    /**
     * The first fault of a report.
     *
     * @param detail   one line for the problem body and the logs
     * @param eventSeq the seq of the event at fault, when the fault is inside one event
     */
    public record Fault(String detail, Long eventSeq) {
    }

    private ReportValidator() {
    }

    /** The first fault, as one line, or empty when the report may be kept (after {@link #neutralised}). */
    public static Optional<String> problem(Report r) {
        return fault(r).map(Fault::detail);
    }

    public static Optional<Fault> fault(Report r) {
        if (r == null) {
            return Optional.of(new Fault("the body is empty: send a report", null));
        }
        String p = WireText.idProblem("cluster", r.cluster());
        p = p != null ? p : WireText.idProblem("node", r.node());
        p = p != null ? p : r.instance() == null ? null : WireText.idProblem("instance", r.instance());
        p = p != null ? p : r.agentStartedAt() == null ? "agentStartedAt is missing"
                : r.sentAt() == null ? "sentAt is missing"
                : r.seq() < 0 ? "seq must not be negative"
                : r.dropped() < 0 ? "dropped must not be negative" : null;
        p = p != null ? p : instant("agentStartedAt", r.agentStartedAt());
        p = p != null ? p : instant("sentAt", r.sentAt());
        p = p != null ? p : resources(r.resources());
        p = p != null ? p : labels(r.labels());
        p = p != null ? p : r.actionsVia() == null || ACTIONS_VIA.contains(r.actionsVia()) ? null
                : "actionsVia must be lifekeeper or direct (or absent)";
        p = p != null ? p : r.facts() == null ? null : facts(r.facts());
        if (p != null) {
            return Optional.of(new Fault(p, null));
        }
        return events(r.events());
    }

    /** Why these are not labels (at most 32, keys [a-z][a-z0-9_]{0,62}, values names of at most 128), or null. */
    public static String labels(Map<String, String> labels) {
        if (labels.size() > MAX_LABELS) {
            return "too many labels: " + labels.size() + " (at most " + MAX_LABELS + ")";
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String p = labelProblem("labels", e.getKey(), e.getValue());
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /**
     * Why {@code key=value} is not a label, or null when it is one: the rule of reports and of label filters. A bad
     * key is not echoed (it may be what the rule keeps out of logs); a good one names its value's field.
     *
     * @param field what to call it in the problem: "labels" in a report, "label" in a filter
     */
    public static String labelProblem(String field, String key, String value) {
        if (key == null || !LABEL_KEY.matcher(key).matches()) {
            return field + " has a key that is not a label key (a-z, then a-z 0-9 _; 1 to 63 characters)";
        }
        return WireText.nameProblem(field + "." + key, value, MAX_LABEL_VALUE, true);
    }

    /**
     * Whether a cluster's value of a label key has {@code value}: a cluster's labels are its nodes', and a key whose
     * value differs between nodes holds each value, joined by ",". The one reading of that for every filter.
     */
    public static boolean clusterLabelHas(String clusterValue, String value) {
        return clusterValue != null && (clusterValue.equals(value) || List.of(clusterValue.split(",", -1)).contains(value));
    }

    private static String resources(List<Report.Resource> resources) {
        if (resources.size() > MAX_RESOURCES) {
            return "too many resources: " + resources.size() + " (at most " + MAX_RESOURCES + ")";
        }
        Set<String> tags = new HashSet<>();
        for (int i = 0; i < resources.size(); i++) {
            Report.Resource res = resources.get(i);
            String at = "resources[" + i + "]";
            if (res == null) {
                return at + " is null";
            }
            String p = WireText.nameProblem(at + ".tag", res.tag(), MAX_SHORT, true);
            p = p != null ? p : !tags.add(res.tag()) ? at + ".tag appears twice"
                    : res.status() == null ? at + ".status is missing (RUNNING, FAILED, STOPPED or UNKNOWN)"
                    : WireText.nameProblem(at + ".role", res.role(), MAX_SHORT, true);
            p = p != null ? p : instant(at + ".since", res.since());
            p = p != null ? p : instant(at + ".checkedAt", res.checkedAt());
            p = p != null ? p : WireText.nameProblem(at + ".service", res.service(), MAX_SERVICE, false);
            if (p == null && res.ports().size() > MAX_PORTS) {
                p = at + " has too many ports: " + res.ports().size() + " (at most " + MAX_PORTS + ")";
            }
            for (int j = 0; p == null && j < res.ports().size(); j++) {
                Report.Port port = res.ports().get(j);
                String pat = at + ".ports[" + j + "]";
                p = port == null ? pat + " is null"
                        : port.port() < 0 || port.port() > 65535 ? pat + ".port " + port.port() + " is not a port number"
                        : port.latencyMicros() < 0 ? pat + ".latencyMicros must not be negative"
                        : WireText.nameProblem(pat + ".key", port.key(), MAX_SHORT, false);
            }
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** Why these are not facts (structure and bounds; their free texts are neutralised instead), or null. */
    static String facts(NodeFacts f) {
        String p = f.digest() == null ? "facts.digest is missing"
                : !DIGEST.matcher(f.digest()).matches() ? "facts.digest is not a SHA-256 (64 of 0-9 a-f)" : null;
        p = p != null ? p : instant("facts.collectedAt", f.collectedAt());
        p = p != null ? p : instant("facts.validatedAt", f.validatedAt());
        if (p == null && f.resources().size() > MAX_RESOURCES) {
            p = "facts has too many resources: " + f.resources().size() + " (at most " + MAX_RESOURCES + ")";
        }
        Set<String> tags = new HashSet<>();
        for (int i = 0; p == null && i < f.resources().size(); i++) {
            NodeFacts.ResourceFacts res = f.resources().get(i);
            String at = "facts.resources[" + i + "]";
            p = res == null ? at + " is null" : WireText.nameProblem(at + ".tag", res.tag(), MAX_SHORT, true);
            p = p != null ? p : !tags.add(res.tag()) ? at + ".tag appears twice"
                    : res.settings().size() > NodeFacts.MAX_SETTINGS ? at + " has too many settings: "
                    + res.settings().size() + " (at most " + NodeFacts.MAX_SETTINGS + ")"
                    : res.preflight().size() > NodeFacts.MAX_ROWS ? at + " has too many preflight rows: "
                    + res.preflight().size() + " (at most " + NodeFacts.MAX_ROWS + ")" : null;
            if (p == null) {
                p = settings(at, res.settings());
            }
            for (int j = 0; p == null && j < res.preflight().size(); j++) {
                NodeFacts.PreflightRow row = res.preflight().get(j);
                String rat = at + ".preflight[" + j + "]";
                p = row == null ? rat + " is null" : WireText.nameProblem(rat + ".check", row.check(), MAX_SHORT, true);
                p = p != null ? p : PREFLIGHT_RESULTS.contains(row.result()) ? null
                        : rat + ".result must be OK, WARN or FAIL";
            }
        }
        return p;
    }

    private static String settings(String at, Map<String, String> settings) {
        for (Map.Entry<String, String> e : settings.entrySet()) {
            // A bad key is not echoed: the rule is there to keep what it may hold out of logs.
            String p = WireText.nameProblem(at + ".settings key", e.getKey(), NodeFacts.MAX_KEY, true);
            if (p != null) {
                return p;
            }
            if (e.getValue() == null) {
                return at + ".settings." + e.getKey() + " has no value";
            }
        }
        return null;
    }

    private static Optional<Fault> events(List<Report.Event> events) {
        if (events.size() > MAX_EVENTS) {
            return Optional.of(new Fault("too many events: " + events.size() + " (at most " + MAX_EVENTS
                    + " a report; send the rest next)", null));
        }
        for (int i = 0; i < events.size(); i++) {
            Report.Event e = events.get(i);
            if (e == null) {
                return Optional.of(new Fault("events[" + i + "] is null", null));
            }
            String at = "events[" + i + "]";
            String p = e.seq() < 0 ? at + ".seq must not be negative"
                    : e.at() == null ? at + ".at is missing"
                    : e.type() == null || !EVENT_TYPES.contains(e.type()) ? at + ".type must be transition or action"
                    : WireText.nameProblem(at + ".tag", e.tag(), MAX_SHORT, false);
            p = p != null ? p : instant(at + ".at", e.at());
            if (p != null) {
                // The event's seq, so that the agent can set that one event aside and send the rest.
                return Optional.of(e.seq() < 0 ? new Fault(p, null) : new Fault(p + " (event seq " + e.seq() + ")", e.seq()));
            }
        }
        return Optional.empty();
    }

    /**
     * The report with every free text made safe to keep and show ({@link WireText#neutralise}): controls and lone
     * surrogates replaced, length bounded. The same report when nothing needed it.
     */
    public static Report neutralised(Report r) {
        List<Report.Resource> resources = r.resources().stream().map(res -> res == null ? null
                : new Report.Resource(res.tag(), res.service(), res.status(), res.role(), res.since(),
                WireText.neutralise(res.reason(), MAX_TEXT), res.checkedAt(), res.ports().stream()
                .map(p -> p == null ? null : new Report.Port(p.key(), p.port(), p.ok(), p.latencyMicros(),
                        WireText.neutralise(p.detail(), MAX_TEXT))).toList())).toList();
        List<Report.Event> events = r.events().stream().map(e -> e == null ? null
                : new Report.Event(e.seq(), e.at(), e.tag(), e.type(), text(e.text()), neutralised(e.action())))
                .toList();
        return new Report(r.cluster(), r.node(), WireText.neutralise(r.agentVersion(), MAX_SHORT), r.agentStartedAt(),
                r.seq(), r.sentAt(), resources, events, r.dropped(), r.instance(), r.labels(), r.fleetActions(),
                r.actionsVia(), neutralised(r.facts()));
    }

    /**
     * Facts as they may be kept and shown: free texts neutralised and bounded as the schema says, every setting
     * whose key looks secret dropped ({@link #secretKey}), every value carrying URL userinfo {@link #HIDDEN}.
     */
    public static NodeFacts neutralised(NodeFacts f) {
        if (f == null) {
            return null;
        }
        List<NodeFacts.ResourceFacts> resources = f.resources().stream().map(res -> res == null ? null
                : new NodeFacts.ResourceFacts(res.tag(), settingsKept(res.settings()), res.preflight().stream()
                .map(row -> row == null ? null : new NodeFacts.PreflightRow(row.check(), row.result(),
                        shown(row.detail(), MAX_TEXT))).toList())).toList();
        return new NodeFacts(f.digest(), f.collectedAt(), shown(f.agentVersion(), MAX_SHORT), shown(f.os(), 128),
                shown(f.osVersion(), 128), shown(f.jvm(), 128), shown(f.host(), MAX_SERVICE),
                shown(f.platform(), MAX_SHORT), f.lifekeeper(), shown(f.lifekeeperVersion(), 128), resources,
                f.validatedAt());
    }

    /** True for a setting's key that looks like it names a secret (password, token, api-key, ...: any case). */
    public static boolean secretKey(String key) {
        return key != null && SECRET_KEY.matcher(key).find();
    }

    private static Map<String, String> settingsKept(Map<String, String> settings) {
        Map<String, String> kept = new java.util.TreeMap<>();
        settings.forEach((k, v) -> {
            if (!secretKey(k)) {
                kept.put(k, shown(v, NodeFacts.MAX_VALUE));
            }
        });
        return kept;
    }

    /** A free text of the facts: neutralised, and hidden whole when it carries URL userinfo. */
    private static String shown(String text, int max) {
        return text != null && USERINFO.matcher(text).find() ? HIDDEN : WireText.neutralise(text, max);
    }

    /** An action's messages are free texts too. */
    private static ActionOutcome neutralised(ActionOutcome a) {
        return a == null ? null : new ActionOutcome(a.id(), a.action(), a.state(), a.exitCode(), a.durationMillis(),
                a.messages().stream().map(m -> WireText.neutralise(m, MAX_TEXT)).toList(), a.mode(), a.requestedBy());
    }

    /** An event's text is required by the store and the dashboard: a missing one says so rather than fail. */
    private static String text(String text) {
        return text == null || text.isEmpty() ? "(no text)" : WireText.neutralise(text, MAX_TEXT);
    }

    /**
     * The report with every agent time later than {@code receivedAt + maxAhead} replaced by {@code receivedAt}: an
     * agent's clock that runs ahead must not put history or a status's since into the future. {@code sentAt} is
     * kept as sent: it is what shows the node's clock skew. So is the start of an agent without an instance id,
     * which names its process.
     */
    public static Report clockBounded(Report r, Instant receivedAt, Duration maxAhead) {
        Instant limit = receivedAt.plus(maxAhead);
        if (!ahead(r, limit)) {
            return r;
        }
        List<Report.Resource> resources = r.resources().stream().map(res -> res == null ? null
                : new Report.Resource(res.tag(), res.service(), res.status(), res.role(),
                bound(res.since(), limit, receivedAt), res.reason(), bound(res.checkedAt(), limit, receivedAt),
                res.ports())).toList();
        List<Report.Event> events = r.events().stream().map(e -> e == null ? null
                : new Report.Event(e.seq(), bound(e.at(), limit, receivedAt), e.tag(), e.type(), e.text(),
                e.action())).toList();
        return new Report(r.cluster(), r.node(), r.agentVersion(),
                r.instance() == null ? r.agentStartedAt() : bound(r.agentStartedAt(), limit, receivedAt),
                r.seq(), r.sentAt(), resources, events, r.dropped(), r.instance(), r.labels(), r.fleetActions(),
                r.actionsVia(), r.facts());
    }

    /** True when any time of the report but sentAt is later than {@code limit}. */
    private static boolean ahead(Report r, Instant limit) {
        return r.instance() != null && after(r.agentStartedAt(), limit)
                || r.resources().stream().anyMatch(x -> x != null && (after(x.since(), limit) || after(x.checkedAt(), limit)))
                || r.events().stream().anyMatch(e -> e != null && after(e.at(), limit));
    }

    private static boolean after(Instant t, Instant limit) {
        return t != null && t.isAfter(limit);
    }

    private static Instant bound(Instant t, Instant limit, Instant receivedAt) {
        return after(t, limit) ? receivedAt : t;
    }

    /** Null or within 1970 to 9999: what every store keeps and prints (a year 10000 is no agent's clock). */
    private static String instant(String field, Instant value) {
        return value == null || !value.isBefore(EARLIEST) && value.isBefore(LATEST) ? null
                : field + " " + value + " is not between 1970 and 9999";
    }
}
