package io.hulftark.fleet.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What goes to a receiver in one request or mail: one message, or a summary of several.
 *
 * @param unreachableSince set when the summary is of what happened while the receiver did not accept
 */
public record Delivery(List<Message> messages, boolean summary, Instant unreachableSince) {

    /** Lines of a summary's text beyond which it only counts the rest (a chat message or a mail stays readable). */
    static final int SUMMARY_LINES = 50;

    /**
     * How the due messages go: one by one normally; as ONE summary when there are more than {@code foldAbove}
     * (a failover burst), or more than one after the receiver failed (a receiver down for an hour gets one
     * message, not a storm).
     */
    public static List<Delivery> plan(List<Message> due, int foldAbove, Instant failingSince) {
        if (due.isEmpty()) {
            return List.of();
        }
        if (due.size() > Math.max(1, foldAbove) || failingSince != null && due.size() > 1) {
            return List.of(new Delivery(List.copyOf(due), true, failingSince));
        }
        List<Delivery> one = new ArrayList<>();
        for (Message m : due) {
            one.add(new Delivery(List.of(m), false, null));
        }
        return one;
    }

    /** The outbox rows it covers; a stable id for a receiver to drop a delivery it already has (a resend). */
    public String id(String receiver) {
        long first = messages.get(0).id();
        long last = messages.get(messages.size() - 1).id();
        return receiver + "-" + first + (summary ? "-" + last + "-" + messages.size() : "");
    }

    /** One line: the message's, or the summary's head. */
    public String title() {
        if (!summary) {
            return messages.get(0).line();
        }
        return messages.size() + " changes" + (unreachableSince != null
                ? " while you were unreachable (since " + unreachableSince + ")" : "");
    }

    /** The title, then for a summary one line per message (at most {@link #SUMMARY_LINES}). */
    public String text() {
        if (!summary) {
            return title();
        }
        StringBuilder b = new StringBuilder(title()).append(':');
        int n = 0;
        for (Message m : messages) {
            if (n++ == SUMMARY_LINES) {
                b.append("\n… and ").append(messages.size() - SUMMARY_LINES).append(" more (the fleet view's history "
                        + "has them all)");
                break;
            }
            b.append("\n• ").append(m.at()).append(' ').append(m.line());
        }
        return b.toString();
    }
}
