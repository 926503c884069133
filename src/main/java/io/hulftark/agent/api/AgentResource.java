package io.hulftark.agent.api;

import io.hulftark.agent.ActionRecord;
import io.hulftark.agent.AgentCore;
import io.hulftark.agent.AgentService;
import io.hulftark.agent.CheckResult;
import io.hulftark.agent.Event;
import io.hulftark.agent.ResourceView;
import io.hulftark.agent.security.CurrentCaller;
import io.hulftark.agent.push.FleetPusher;
import io.hulftark.agent.security.OperatorOnly;
import io.hulftark.fleet.report.Report;
import io.hulftark.kit.Action;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Predicate;

/** The node agent's REST API. Reads need a viewer token, actions an operator token. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "agent")
@SecurityRequirement(name = "bearer")
public class AgentResource {

    static final int MAX_LIMIT = 1000;
    static final int MAX_REASON = ActionRequest.MAX_REASON;

    private final AgentService agent;
    private final CurrentCaller caller;

    public AgentResource(AgentService agent, CurrentCaller caller) {
        this.agent = agent;
        this.caller = caller;
    }

    @GET
    @Path("/node")
    @Operation(summary = "This agent: node, cluster, version, platform, action mode, resources")
    public NodeView node() {
        return new NodeView(agent.node(), agent.context().config().cluster().orElse(null), AgentService.version(),
                agent.context().platform().name(),
                agent.context().platform().why(), agent.mode(), agent.core().tags(), agent.started(),
                agent.pusher().map(FleetPusher::state).orElse(null));
    }

    @GET
    @Path("/resources")
    @Operation(summary = "Every resource with its status, since when, and its last check")
    public List<ResourceView> resources() {
        return agent.core().resources();
    }

    @GET
    @Path("/resources/{tag}")
    @Operation(summary = "One resource with its status, since when, and its last check")
    public ResourceView resource(@PathParam("tag") String tag) {
        return agent.core().resource(tag).orElseThrow(() -> unknownTag(tag));
    }

    @GET
    @Path("/resources/{tag}/checks")
    @Operation(summary = "The resource's latest checks, newest first")
    public List<CheckResult> checks(@PathParam("tag") String tag, @QueryParam("limit") @DefaultValue("20") int limit) {
        known(tag);
        return agent.core().checks(tag, limit(limit));
    }

    @GET
    @Path("/resources/{tag}/actions")
    @Operation(summary = "The resource's latest actions, newest first")
    public List<ActionRecord> actions(@PathParam("tag") String tag, @QueryParam("limit") @DefaultValue("20") int limit) {
        known(tag);
        return agent.core().history().actions(tag, limit(limit));
    }

    @GET
    @Path("/events")
    @Operation(summary = "Transitions and action steps after `since` (an event's seq, or an ISO-8601 instant), oldest first")
    public List<Event> events(@QueryParam("since") String since, @QueryParam("limit") @DefaultValue("100") int limit) {
        return agent.core().history().since(after(since), limit(limit));
    }

    @GET
    @Path("/report")
    @Operation(summary = "This node's report for a polling fleet view: its state now and the history events after "
            + "`after` (an event's seq; at most 500, oldest first). The same document the agent pushes.")
    public Report report(@QueryParam("after") @DefaultValue("0") String after) {
        if (after.isEmpty() || after.length() > 18 || !after.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ProblemException.badRequest("after must be an event's seq (0 or more), not '" + cut(after, 40) + "'");
        }
        return agent.reports().orElseThrow(() -> new ProblemException(409, "no-cluster", "No cluster",
                        "this agent has no cluster name: set hulftark.cluster to report to a fleet view"))
                .after(Long.parseLong(after));
    }

    @POST
    @Path("/resources/{tag}/check")
    @Operation(summary = "Check the resource now and answer with the result")
    public CheckResult checkNow(@PathParam("tag") String tag) {
        known(tag);
        return agent.core().checkNow(tag);
    }

    @POST
    @Path("/resources/{tag}/actions")
    @Consumes(MediaType.APPLICATION_JSON)
    @OperatorOnly
    @Operation(summary = "Run restore, remove, recover or quickCheck on the resource (202; follow Location)")
    public Response act(@PathParam("tag") String tag, ActionRequest request, @jakarta.ws.rs.core.Context UriInfo uri) {
        known(tag);
        if (request == null || request.action() == null) {
            throw ProblemException.badRequest("the body must be {\"action\": \"restore|remove|recover|quickCheck\", \"reason\": \"...\"}");
        }
        Action action = Action.parse(request.action()).filter(a -> a != Action.DEEP_CHECK)
                .orElseThrow(() -> new ProblemException(400, "unknown-action", "Unknown action",
                        "unknown action '" + cut(request.action(), 40) + "': restore, remove, recover or quickCheck"));
        String reason = request.reason() == null ? "" : request.reason().strip();
        if (request.reasonProblem() != null) {
            throw ProblemException.badRequest(request.reasonProblem());
        }
        ActionRecord record;
        try {
            record = agent.core().submit(tag, action, reason, caller.get().name());
        } catch (AgentCore.Refused e) {
            // 429 (the resource's queue is full) or 503 (the journal's disk is full): try again later.
            return Response.status(e.status()).type(Problem.MEDIA_TYPE)
                    .header("Retry-After", Long.toString(e.retryAfterSeconds()))
                    .entity(Problem.of(e.status(), e.kind(), e.status() == 429 ? "Too many queued actions"
                            : "Cannot take actions now", e.getMessage(), Problem.instance(uri))).build();
        }
        URI location = uri.getBaseUriBuilder().path("api/v1/actions").path(record.id()).build();
        return Response.accepted(record).location(location).build();
    }

    @GET
    @Path("/actions/{id}")
    @Operation(summary = "An action's progress and result")
    public ActionRecord action(@PathParam("id") String id) {
        return agent.core().history().actionById(id)
                .orElseThrow(() -> ProblemException.notFound("no action " + cut(id, 64) + " is known to this agent"));
    }

    private void known(String tag) {
        if (!agent.core().manages(tag)) {
            throw unknownTag(tag);
        }
    }

    private static ProblemException unknownTag(String tag) {
        return ProblemException.notFound("this agent manages no resource " + cut(tag, 64));
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be from 1 to " + MAX_LIMIT + ", not " + limit);
        }
        return limit;
    }

    private static Predicate<io.hulftark.agent.Event> after(String since) {
        if (since == null || since.isBlank()) {
            return e -> true;
        }
        if (since.chars().allMatch(Character::isDigit) && since.length() < 19) {
            long seq = Long.parseLong(since);
            return e -> e.seq() > seq;
        }
        try {
            Instant at = Instant.parse(since);
            return e -> e.at().isAfter(at);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("since must be an event's seq or an ISO-8601 instant, not '"
                    + cut(since, 40) + "'");
        }
    }

    private static String cut(String s, int max) {
        String clean = s.replaceAll("[\\p{Cntrl}]", "?");
        return clean.length() <= max ? clean : clean.substring(0, max) + "...";
    }
}
