package io.hulftark.fleet.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The bodies each kind of receiver gets (README's fleet section and deploy/fleet/README.md describe them). */
public final class Payloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    /**
     * The generic webhook: {"delivery", "sentAt", "kind" (PROBLEM, REPEAT, ACKNOWLEDGED, RESOLVED or SUMMARY),
     * "text", "unreachableSince" (a summary after an outage), "changes": [{"id", "kind", "cluster", "state",
     * "previousState", "at", "reason", and of an ACKNOWLEDGED "by", "comment", "until" (absent: until the problem
     * ends), "sticky"; of a RESOLVED that was acknowledged "acknowledgedBy"}]} — one change, or every change a
     * summary folds.
     */
    public static byte[] webhook(Delivery d, String deliveryId, Instant sentAt) {
        ObjectNode root = JSON.createObjectNode();
        root.put("delivery", deliveryId);
        root.put("sentAt", sentAt.toString());
        root.put("kind", d.summary() ? "SUMMARY" : d.messages().get(0).kind().name());
        root.put("text", d.text());
        if (d.unreachableSince() != null) {
            root.put("unreachableSince", d.unreachableSince().toString());
        }
        ArrayNode changes = root.putArray("changes");
        for (Message m : d.messages()) {
            ObjectNode c = changes.addObject();
            c.put("id", m.id());
            c.put("kind", m.kind().name());
            c.put("cluster", m.cluster());
            c.put("state", m.state().name());
            if (m.from() != null) {
                c.put("previousState", m.from().name());
            }
            c.put("at", m.at().toString());
            c.put("reason", m.reason());
            if (m.ack() != null && m.kind() == Message.Kind.ACKNOWLEDGED) {
                c.put("by", m.ack().by());
                c.put("comment", m.ack().comment());
                if (m.ack().until() != null) {
                    c.put("until", m.ack().until().toString());
                }
                c.put("sticky", m.ack().sticky());
            } else if (m.ack() != null) {
                c.put("acknowledgedBy", m.ack().by());
            }
        }
        return bytes(root);
    }

    /** Slack's and Teams' incoming webhooks: {"text": ...}. */
    public static byte[] chat(Delivery d) {
        ObjectNode root = JSON.createObjectNode();
        root.put("text", "[hulft-ark] " + d.text());
        return bytes(root);
    }

    public static String mailSubject(Delivery d) {
        String title = d.title();
        return "[hulft-ark] " + (title.length() > 150 ? title.substring(0, 149) + "…" : title);
    }

    public static String mailText(Delivery d) {
        return d.text() + "\n\n-- \nSent by the hulft-ark fleet view. Delivery " + "id in the header "
                + Signature.DELIVERY + ".\n";
    }

    private static byte[] bytes(ObjectNode root) {
        try {
            return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
