package io.hulftark.fleet.report;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a report before anything of it is kept: names the store and the dashboard can show safely, bounded
 * sizes, no missing field. The answer is one line naming the first fault, or empty when the report is fine.
 */
public final class ReportValidator {

    public static final int MAX_RESOURCES = 64;
    public static final int MAX_PORTS = 64;
    public static final int MAX_EVENTS = 1000;
    static final int MAX_TEXT = 1000;
    static final int MAX_SHORT = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Set<String> EVENT_TYPES = Set.of("transition", "action");
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    private ReportValidator() {
    }

    public static Optional<String> problem(Report r) {
        if (r == null) {
            return Optional.of("the body is empty: send a report");
        }
        String p = name("cluster", r.cluster());
        p = p != null ? p : name("node", r.node());
        p = p != null ? p : r.agentStartedAt() == null ? "agentStartedAt is missing"
                : r.sentAt() == null ? "sentAt is missing"
                : r.seq() < 0 ? "seq must not be negative"
                : r.dropped() < 0 ? "dropped must not be negative"
                : text("agentVersion", r.agentVersion(), MAX_SHORT, false);
        p = p != null ? p : instant("agentStartedAt", r.agentStartedAt());
        p = p != null ? p : instant("sentAt", r.sentAt());
        p = p != null ? p : resources(r.resources());
        p = p != null ? p : events(r.events());
        return Optional.ofNullable(p);
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
            String p = text(at + ".tag", res.tag(), MAX_SHORT, true);
            p = p != null ? p : !tags.add(res.tag()) ? at + ".tag '" + res.tag() + "' appears twice"
                    : res.status() == null ? at + ".status is missing (RUNNING, FAILED, STOPPED or UNKNOWN)"
                    : text(at + ".role", res.role(), MAX_SHORT, true);
            p = p != null ? p : instant(at + ".since", res.since());
            p = p != null ? p : instant(at + ".checkedAt", res.checkedAt());
            p = p != null ? p : text(at + ".service", res.service(), 256, false);
            p = p != null ? p : text(at + ".reason", res.reason(), MAX_TEXT, false);
            if (p == null && res.ports().size() > MAX_PORTS) {
                p = at + " has too many ports: " + res.ports().size() + " (at most " + MAX_PORTS + ")";
            }
            for (int j = 0; p == null && j < res.ports().size(); j++) {
                Report.Port port = res.ports().get(j);
                String pat = at + ".ports[" + j + "]";
                p = port == null ? pat + " is null"
                        : port.port() < 0 || port.port() > 65535 ? pat + ".port " + port.port() + " is not a port number"
                        : port.latencyMicros() < 0 ? pat + ".latencyMicros must not be negative"
                        : text(pat + ".key", port.key(), MAX_SHORT, false);
                p = p != null ? p : port == null ? null : text(pat + ".detail", port.detail(), MAX_TEXT, false);
            }
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static String events(List<Report.Event> events) {
        if (events.size() > MAX_EVENTS) {
            return "too many events: " + events.size() + " (at most " + MAX_EVENTS + " a report; send the rest next)";
        }
        for (int i = 0; i < events.size(); i++) {
            Report.Event e = events.get(i);
            String at = "events[" + i + "]";
            String p = e == null ? at + " is null"
                    : e.seq() < 0 ? at + ".seq must not be negative"
                    : e.at() == null ? at + ".at is missing"
                    : e.type() == null || !EVENT_TYPES.contains(e.type()) ? at + ".type must be transition or action"
                    : text(at + ".tag", e.tag(), MAX_SHORT, false);
            p = p != null ? p : instant(at + ".at", e.at());
            p = p != null ? p : text(at + ".text", e.text(), MAX_TEXT, true);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** Null or within 1970 to 9999: what every store keeps and prints (a year 10000 is no agent's clock). */
    private static String instant(String field, Instant value) {
        return value == null || !value.isBefore(EARLIEST) && value.isBefore(LATEST) ? null
                : field + " " + value + " is not between 1970 and 9999";
    }

    private static String name(String field, String value) {
        if (value == null || value.isEmpty()) {
            return field + " is missing";
        }
        return NAME.matcher(value).matches() ? null
                : field + " is not a name (1 to 64 of A-Z a-z 0-9 . _ @ -)";
    }

    /** Bounded, one line, printable: it ends up on a dashboard and in logs. */
    private static String text(String field, String value, int max, boolean required) {
        if (value == null || value.isEmpty()) {
            return required ? field + " is missing" : null;
        }
        if (value.length() > max) {
            return field + " is too long: " + value.length() + " characters (at most " + max + ")";
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return field + " holds a control character at " + i;
            }
        }
        return null;
    }
}
