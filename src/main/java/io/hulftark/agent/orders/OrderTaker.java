package io.hulftark.agent.orders;

import io.hulftark.agent.ActionRecord;
import io.hulftark.agent.AgentCore;
import io.hulftark.agent.History;
import io.hulftark.kit.Action;
import io.hulftark.wire.ActionOrder;
import io.hulftark.wire.WireText;

import java.util.Objects;

/**
 * Takes the fleet view's orders, however they come (the order channel of a pushing agent, POST /api/v1/orders of
 * a polled one): each runs through the agent's own action path ({@link AgentCore#submit(String, String, Action,
 * String, String)}) at most once by its id, and each one refused is kept as a REFUSED action, so that the fleet
 * view learns why from the reports. An order whose id, tag or action is not even well formed cannot be kept: it is
 * only answered (the fleet view checks every order by the same rule before it sends it, so it never sends one).
 */
public final class OrderTaker {

    /** Why an order was not taken: the answer a polled fleet view gets (a problem detail's status, type, title). */
    public record Refusal(int status, String type, String title, String detail, long retryAfterSeconds) { }

    /**
     * What became of an order.
     *
     * @param record  the action as recorded; null only when the order could not be kept (see {@code refusal})
     * @param known   the id was known already: nothing new was recorded or run
     * @param refusal why it was not taken, or null when it runs (or ran)
     */
    public record Taken(ActionRecord record, boolean known, Refusal refusal) { }

    public static final String NOT_ALLOWED = "fleet actions are not allowed on this node "
            + "(hulftark.agent.fleet-actions.enabled=false)";

    private final AgentCore core;
    private final String cluster;
    private final String node;
    private final boolean enabled;

    /** @param cluster this agent's cluster (null when it has none: then no order is its own) */
    public OrderTaker(AgentCore core, String cluster, String node, boolean enabled) {
        this.core = core;
        this.cluster = cluster;
        this.node = Objects.requireNonNull(node, "node");
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Takes {@code order}: runs it, answers with what it has for a known id, or refuses it (kept as REFUSED). A
     * refusal that a later delivery may not meet (a full queue, a journal that cannot write) is not kept: the
     * answer says so and when to come again, which is what a polling fleet view needs.
     */
    public Taken take(ActionOrder order) {
        return take(order, false);
    }

    /**
     * As {@link #take(ActionOrder)}, but with {@code keepEvery} a full queue or journal is kept as REFUSED too:
     * the order channel has no answer to give, and the fleet view should learn at once rather than time out.
     */
    public synchronized Taken take(ActionOrder order, boolean keepEvery) {
        if (order == null) {
            return unkept("the body must be an order: {\"id\", \"cluster\", \"node\", \"tag\", \"action\", "
                    + "\"requestedBy\", \"requestedAt\"}");
        }
        String idProblem = WireText.idProblem("id", order.id());
        if (idProblem != null) {
            return unkept(idProblem);
        }
        var known = core.known(order.id());
        if (known.isPresent()) {
            return new Taken(known.get(), true, null);
        }
        String tagProblem = WireText.nameProblem("tag", order.tag(), 64, true);
        Action action = order.action() == null ? null : Action.parse(order.action())
                .filter(a -> a != Action.DEEP_CHECK && a.word().equals(order.action())).orElse(null);
        if (tagProblem != null || action == null) {
            return unkept(tagProblem != null ? tagProblem : "action must be one of restore, remove, recover, quickCheck");
        }
        String by = History.FLEET + (order.requestedBy() == null || order.requestedBy().isBlank() ? "unknown"
                : WireText.neutralise(order.requestedBy().strip(), WireText.ID_MAX - History.FLEET.length()));
        String reason = order.reason() == null ? "" : WireText.neutralise(order.reason().strip(), ActionOrder.MAX_REASON);
        if (!enabled) {
            return refuse(order, action, reason, by, new Refusal(403, "actions-not-allowed", "Fleet actions not allowed",
                    NOT_ALLOWED, 0));
        }
        String problem = order.problem();
        if (problem == null && !order.node().equals(node)) {
            problem = "this order is for node " + order.node() + ", and this is node " + node;
        }
        if (problem == null && !order.cluster().equals(cluster)) {
            problem = "this order is for cluster " + order.cluster() + ", and this node is of "
                    + (cluster == null ? "no cluster (hulftark.cluster is not set)" : "cluster " + cluster);
        }
        if (problem != null) {
            return refuse(order, action, reason, by, new Refusal(400, "bad-order", "Bad order", problem, 0));
        }
        if (!core.manages(order.tag())) {
            return refuse(order, action, reason, by, new Refusal(404, "not-found", "Not found",
                    "this agent manages no resource " + order.tag(), 0));
        }
        try {
            ActionRecord r = core.submit(order.id(), order.tag(), action, reason, by);
            // REFUSED here: the journal's disk failed as the order was written, so it did not run.
            return new Taken(r, false, ActionRecord.REFUSED.equals(r.state())
                    ? new Refusal(503, "journal-full", "Cannot take actions now", r.messages().get(0), 60) : null);
        } catch (AgentCore.Refused e) {
            Refusal why = new Refusal(e.status(), e.kind(), e.status() == 429 ? "Too many queued actions"
                    : "Cannot take actions now", e.getMessage(), e.retryAfterSeconds());
            // A stopping agent keeps nothing new: the next one takes the order when it comes again.
            return keepEvery && !"stopping".equals(e.kind()) ? refuse(order, action, reason, by, why)
                    : new Taken(null, false, why);
        }
    }

    private Taken refuse(ActionOrder order, Action action, String reason, String by, Refusal why) {
        return new Taken(core.refuse(order.id(), order.tag(), action, reason, by, why.detail()), false, why);
    }

    private static Taken unkept(String detail) {
        return new Taken(null, false, new Refusal(400, "bad-order", "Bad order", detail, 0));
    }
}
