package io.hulftark.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The fleet view's JSON as tables and lines for people. Every time in one format, ISO-8601 in UTC to the second
 * ("2026-12-06T21:04:05Z"), so that output from hosts in different zones lines up.
 */
public final class Render {

    private Render() {
    }

    /** A time of the API in the one format; "-" when absent. */
    public static String time(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode() || v.asText().isBlank()) {
            return "-";
        }
        try {
            Instant t = v.isNumber() ? Instant.ofEpochMilli(v.asLong()) : Instant.parse(v.asText());
            return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
        } catch (DateTimeParseException e) {
            return v.asText();
        }
    }

    /** Text of a field; "" when absent or null. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? "" : v.asText();
    }

    static String joined(JsonNode array, String sep) {
        List<String> parts = new ArrayList<>();
        array.forEach(v -> parts.add(v.asText()));
        return String.join(sep, parts);
    }

    /** site=osaka,env=prod */
    static String labels(JsonNode labels) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            parts.add(e.getKey() + "=" + e.getValue().asText());
        }
        return String.join(" ", parts);
    }

    static String millis(JsonNode v) {
        return v == null || !v.isNumber() ? "" : Durations.format(Duration.ofMillis(v.asLong()));
    }

    /** The cluster table. */
    public static void clusters(List<JsonNode> rows, PrintWriter out) {
        Table t = new Table("CLUSTER", "STATE", "SINCE", "SERVING", "NODES", "LABELS", "NOTES", "REASON");
        for (JsonNode r : rows) {
            List<String> notes = new ArrayList<>();
            if (r.path("acknowledged").asBoolean()) {
                notes.add("acked by " + text(r, "acknowledgedBy"));
            }
            if (r.path("inMaintenance").asBoolean()) {
                notes.add("maintenance until " + time(r.path("maintenanceUntil")));
            }
            if (r.path("flapping").asBoolean()) {
                notes.add("flapping");
            }
            t.row(text(r, "name"), text(r, "state"), time(r.path("since")), joined(r.path("serving"), ","),
                    joined(r.path("nodes"), ","), labels(r.path("labels")), String.join("; ", notes), text(r, "reason"));
        }
        t.print(out);
        out.println(rows.size() == 1 ? "1 cluster" : rows.size() + " clusters");
    }

    /** One cluster: its row as lines, then its problems, nodes, acknowledgements and windows. */
    public static void cluster(JsonNode detail, PrintWriter out) {
        JsonNode c = detail.path("cluster");
        line(out, "Cluster", text(c, "name"));
        line(out, "State", text(c, "state") + " since " + time(c.path("since"))
                + (c.path("flapping").asBoolean() ? " (flapping)" : ""));
        line(out, "Reason", text(c, "reason"));
        line(out, "Serving", c.path("serving").isEmpty() ? "nothing" : joined(c.path("serving"), ", "));
        line(out, "Labels", c.path("labels").isEmpty() ? "none" : labels(c.path("labels")));
        line(out, "Last report", time(c.path("lastReportAt")));
        line(out, "Acknowledged", c.path("acknowledged").asBoolean() ? "by " + text(c, "acknowledgedBy")
                + (c.path("acknowledgedUntil").isNull() || c.path("acknowledgedUntil").isMissingNode() ? ""
                : " until " + time(c.path("acknowledgedUntil"))) : "no");
        line(out, "Maintenance", c.path("inMaintenance").asBoolean() ? "now, until " + time(c.path("maintenanceUntil")) : "no");
        if (!detail.path("problems").isEmpty()) {
            out.println();
            out.println("Problems:");
            detail.path("problems").forEach(p -> out.println("  " + oneLine(p.asText())));
        }
        if (!detail.path("warnings").isEmpty()) {
            out.println();
            out.println("Warnings (hulftark.fleet.readiness.effect=warn):");
            detail.path("warnings").forEach(w -> out.println("  " + oneLine(w.asText())));
        }
        drift(detail, out);
        out.println();
        Table nodes = new Table("NODE", "FRESH", "LAST REPORT", "AGENT", "FLEET ACTIONS", "LABELS", "RESOURCES");
        for (JsonNode n : detail.path("nodes")) {
            List<String> resources = new ArrayList<>();
            n.path("resources").forEach(r -> resources.add(text(r, "tag") + "=" + text(r, "status")));
            String actions = n.path("fleetActions").asBoolean()
                    ? "yes" + (text(n, "actionsVia").isEmpty() ? "" : " (" + text(n, "actionsVia") + ")") : "no";
            nodes.row(text(n, "node"), n.path("fresh").asBoolean() ? "yes" : "NO", time(n.path("receivedAt")),
                    text(n, "agentVersion"), actions, labels(n.path("labels")), String.join(" ", resources));
        }
        nodes.print(out);
        if (!detail.path("acknowledgements").isEmpty()) {
            out.println();
            Table acks = new Table("ACK", "BY", "AT", "UNTIL", "STICKY", "COMMENT");
            for (JsonNode a : detail.path("acknowledgements")) {
                acks.row(text(a, "id"), text(a, "by"), time(a.path("at")), time(a.path("until")),
                        a.path("sticky").asBoolean() ? "yes" : "no", text(a, "comment"));
            }
            acks.print(out);
        }
        if (!detail.path("maintenance").isEmpty()) {
            out.println();
            Table windows = new Table("WINDOW", "FROM", "UNTIL", "WEEKLY", "BY", "REASON");
            for (JsonNode w : detail.path("maintenance")) {
                String weekly = w.path("days").isEmpty() ? "" : joined(w.path("days"), ",") + " " + text(w, "start")
                        + " for " + text(w, "duration") + " " + text(w, "zone");
                windows.row(text(w, "id"), time(w.path("nextFrom")), time(w.path("nextUntil")), weekly, text(w, "by"),
                        text(w, "reason"));
            }
            windows.print(out);
        }
    }

    /**
     * What differs between the cluster's nodes, one setting a line ("HULFT LKHULFT_TIMEOUT: 300 on n1, 60 on n2"),
     * and the failing rows of each node's last preflight.
     */
    static void drift(JsonNode detail, PrintWriter out) {
        if (!detail.path("drift").isEmpty()) {
            out.println();
            out.println("Drift (settings that differ between the nodes):");
            for (JsonNode d : detail.path("drift")) {
                List<String> values = new ArrayList<>();
                d.path("values").fields().forEachRemaining(e -> values.add(e.getValue().asText() + " on " + e.getKey()));
                out.println("  " + oneLine((text(d, "tag").isEmpty() ? "" : text(d, "tag") + " ") + text(d, "key")
                        + ": " + String.join(", ", values)));
            }
        }
        Table failing = new Table("NODE", "TAG", "CHECK", "DETAIL");
        for (JsonNode n : detail.path("nodes")) {
            for (JsonNode r : n.path("facts").path("resources")) {
                for (JsonNode row : r.path("preflight")) {
                    if ("FAIL".equals(text(row, "result"))) {
                        failing.row(text(n, "node"), text(r, "tag"), text(row, "check"), text(row, "detail"));
                    }
                }
            }
        }
        if (failing.size() > 0) {
            out.println();
            out.println("Failing preflight rows (each node's last hulft-ark validate):");
            failing.print(out);
        }
    }

    /** A fleet action: what, by whom, its state, and each step. */
    public static void action(JsonNode a, PrintWriter out) {
        line(out, "Action", text(a, "id"));
        line(out, "What", describe(a));
        line(out, "Requested", "by " + text(a, "requestedBy") + " at " + time(a.path("requestedAt"))
                + (text(a, "reason").isEmpty() ? "" : " (reason: " + text(a, "reason") + ")"));
        line(out, "State", text(a, "state") + (a.path("endedAt").isNull() || a.path("endedAt").isMissingNode() ? ""
                : " at " + time(a.path("endedAt"))) + (a.path("durationMillis").isNumber()
                ? " after " + millis(a.path("durationMillis")) : ""));
        if (!text(a, "detail").isEmpty()) {
            line(out, "Detail", text(a, "detail"));
        }
        if (!text(a, "batch").isEmpty()) {
            line(out, "Batch", text(a, "batch"));
        }
        if (!a.path("steps").isEmpty()) {
            out.println();
            Table t = new Table("STEP", "NODE", "ACTION", "TAG", "STATE", "EXIT", "TOOK", "MODE", "MESSAGE");
            for (JsonNode s : a.path("steps")) {
                JsonNode messages = s.path("messages");
                t.row(text(s, "seq") + (s.path("rollback").asBoolean() ? " (rollback)" : ""), text(s, "node"),
                        text(s, "action"), text(s, "tag"), text(s, "state"), text(s, "exitCode"),
                        millis(s.path("durationMillis")), text(s, "mode"),
                        messages.isEmpty() ? "" : messages.get(messages.size() - 1).asText());
            }
            t.print(out);
        }
    }

    /** "switchover of demo-2 to node-b", "restore of HULFT1 on node-a of demo-2". */
    static String describe(JsonNode a) {
        String action = text(a, "action");
        String node = text(a, "node");
        String tag = text(a, "tag");
        String cluster = text(a, "cluster");
        StringBuilder b = new StringBuilder(action);
        if (action.equals("switchover")) {
            b.append(" of ").append(cluster).append(node.isEmpty() ? " to its standby" : " to " + node);
        } else {
            b.append(tag.isEmpty() ? " of every resource" : " of " + tag)
                    .append(node.isEmpty() ? "" : " on " + node).append(" of ").append(cluster);
        }
        if (a.path("force").asBoolean()) {
            b.append(" (forced)");
        }
        return b.toString();
    }

    /** A batch: what, over how many, its counts, and each cluster. */
    public static void batch(JsonNode b, PrintWriter out) {
        line(out, "Batch", text(b, "id"));
        line(out, "What", text(b, "action") + (text(b, "node").isEmpty() ? "" : " on " + text(b, "node"))
                + (text(b, "tag").isEmpty() ? "" : " of " + text(b, "tag")) + (b.path("force").asBoolean() ? " (forced)" : "")
                + ", " + text(b, "concurrency") + " at a time" + (b.path("stopOnFailure").asBoolean()
                ? ", stop at the first failure" : "") + (b.path("pauseSeconds").asLong() > 0
                ? ", " + Durations.format(Duration.ofSeconds(b.path("pauseSeconds").asLong())) + " between clusters" : ""));
        line(out, "Requested", "by " + text(b, "requestedBy") + " at " + time(b.path("requestedAt"))
                + (text(b, "reason").isEmpty() ? "" : " (reason: " + text(b, "reason") + ")"));
        line(out, "State", text(b, "state") + (b.path("endedAt").isNull() || b.path("endedAt").isMissingNode() ? ""
                : " at " + time(b.path("endedAt"))));
        line(out, "Progress", counts(b));
        if (!b.path("clusters").isEmpty()) {
            out.println();
            Table t = new Table("CLUSTER", "STATE", "ACTION", "DETAIL");
            for (JsonNode c : b.path("clusters")) {
                t.row(text(c, "cluster"), text(c, "state"), text(c, "actionId"), text(c, "detail"));
            }
            t.print(out);
        }
    }

    static String counts(JsonNode b) {
        return text(b, "total") + " clusters: " + text(b, "succeeded") + " succeeded, " + text(b, "failed") + " failed, "
                + text(b, "running") + " running, " + text(b, "pending") + " pending";
    }

    /** Events as a table, in the order given. */
    public static void events(JsonNode events, PrintWriter out) {
        Table t = new Table("ID", "AT", "CLUSTER", "NODE", "KIND", "TAG", "TEXT");
        for (JsonNode e : events) {
            t.row(text(e, "id"), time(e.path("at")), text(e, "cluster"), text(e, "node"), text(e, "kind"), text(e, "tag"),
                    text(e, "text"));
        }
        t.print(out);
    }

    /** One event on one line, for --follow (no table: the widths are not known in advance). */
    public static String eventLine(JsonNode e) {
        String where = text(e, "cluster") + (text(e, "node").isEmpty() ? "" : "/" + text(e, "node"));
        return time(e.path("at")) + "  " + String.format("%-11s", text(e, "kind")) + "  " + where
                + (text(e, "tag").isEmpty() ? "" : "  " + text(e, "tag")) + "  " + oneLine(text(e, "text"));
    }

    private static void line(PrintWriter out, String label, String value) {
        out.println(String.format("%-13s %s", label + ":", oneLine(value)));
    }

    /** Text on one line: line breaks and other control characters become spaces (a terminal is not a place for them). */
    public static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return b.toString().strip();
    }

    public static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
