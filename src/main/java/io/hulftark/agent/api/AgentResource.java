package io.hulftark.agent.api;

import io.hulftark.http.Problem;
import io.hulftark.http.ProblemException;
import io.hulftark.http.CommonProblems;
import io.hulftark.http.Params;

import io.hulftark.agent.ActionRecord;
import io.hulftark.agent.AgentCore;
import io.hulftark.agent.AgentService;
import io.hulftark.agent.CheckResult;
import io.hulftark.agent.Event;
import io.hulftark.agent.ResourceView;
import io.hulftark.http.security.CurrentCaller;
import io.hulftark.agent.push.FleetPusher;
import io.hulftark.http.security.OperatorOnly;
import io.hulftark.agent.facts.Readiness;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** The node agent's REST API. Reads need a viewer token, actions an operator token. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "agent")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = CommonProblems.UNAUTHORIZED,
        headers = @Header(name = "WWW-Authenticate", description = "How to authenticate: " + CommonProblems.CHALLENGE,
                required = true, schema = @Schema(type = SchemaType.STRING)),
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = CommonProblems.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "413", description = CommonProblems.TOO_LARGE,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = CommonProblems.UNAVAILABLE,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class AgentResource {

    static final int MAX_LIMIT = 1000;
    static final int MAX_REASON = ActionRequest.MAX_REASON;
    static final String TAG_PARAM = "The resource's LifeKeeper tag";
    static final String NO_TAG = "This agent manages no resource with this tag";
    static final String BAD_LIMIT = "limit is not a whole number from 1 to 1000";
    /** How long POST /validate waits for the preflights (each is bounded by the kit's command timeout). */
    static final Duration VALIDATE_BOUND = Duration.ofMinutes(5);

    private final AgentService agent;
    private final CurrentCaller caller;

    public AgentResource(AgentService agent, CurrentCaller caller) {
        this.agent = agent;
        this.caller = caller;
    }

    @GET
    @Path("/node")
    @Operation(summary = "This agent: node, cluster, version, platform, action mode, resources")
    @APIResponse(responseCode = "200", description = "Who this agent is")
    public NodeView node() {
        return new NodeView(agent.node(), agent.context().config().cluster().orElse(null), AgentService.version(),
                agent.context().platform().name(),
                agent.context().platform().why(), agent.mode(), agent.core().tags(), agent.started(),
                agent.pusher().map(FleetPusher::state).orElse(null), agent.labels(), agent.fleetActions(),
                agent.orderChannel().map(io.hulftark.agent.orders.OrderChannel::state).orElse(null));
    }

    @GET
    @Path("/resources")
    @Operation(summary = "Every resource with its status, since when, and its last check")
    @APIResponse(responseCode = "200", description = "Every resource this agent manages, in tag order")
    public List<ResourceView> resources() {
        return agent.core().resources();
    }

    @GET
    @Path("/resources/{tag}")
    @Operation(summary = "One resource with its status, since when, and its last check")
    @APIResponse(responseCode = "200", description = "The resource")
    @APIResponse(responseCode = "404", description = NO_TAG)
    public ResourceView resource(@Parameter(description = TAG_PARAM) @PathParam("tag") String tag) {
        return agent.core().resource(tag).orElseThrow(() -> unknownTag(tag));
    }

    @GET
    @Path("/resources/{tag}/checks")
    @Operation(summary = "The resource's latest checks, newest first")
    @APIResponse(responseCode = "200", description = "The checks, newest first")
    @APIResponse(responseCode = "400", description = BAD_LIMIT)
    @APIResponse(responseCode = "404", description = NO_TAG)
    public List<CheckResult> checks(@Parameter(description = TAG_PARAM) @PathParam("tag") String tag,
                                    @Parameter(description = "How many at most", schema = @Schema(type = SchemaType.INTEGER, format = "int32",
                                              minimum = "1", maximum = "1000", defaultValue = "20"))
                                    @QueryParam("limit") String limit) {
        int n = limit(limit, 20);
        known(tag);
        return agent.core().checks(tag, n);
    }

    @GET
    @Path("/resources/{tag}/actions")
    @Operation(summary = "The resource's latest actions, newest first")
    @APIResponse(responseCode = "200", description = "The actions, newest first")
    @APIResponse(responseCode = "400", description = BAD_LIMIT)
    @APIResponse(responseCode = "404", description = NO_TAG)
    public List<ActionRecord> actions(@Parameter(description = TAG_PARAM) @PathParam("tag") String tag,
                                      @Parameter(description = "How many at most", schema = @Schema(type = SchemaType.INTEGER, format = "int32",
                                                  minimum = "1", maximum = "1000", defaultValue = "20"))
                                      @QueryParam("limit") String limit) {
        int n = limit(limit, 20);
        known(tag);
        return agent.core().history().actions(tag, n);
    }

    @GET
    @Path("/events")
    @Operation(summary = "Transitions and action steps after `since` (an event's seq, or an ISO-8601 instant), oldest first")
    @APIResponse(responseCode = "200", description = "The events, oldest first")
    @APIResponse(responseCode = "400", description = "limit out of range, or since neither a seq nor an instant")
    public List<Event> events(@Parameter(description = "Only events after this: an event's seq (0 or more, at most 18 "
                                      + "digits) or an ISO-8601 instant; absent: from the oldest kept",
                                      schema = @Schema(type = SchemaType.STRING, maxLength = 64,
                                              examples = {"42", "2026-11-25T10:00:00Z"}))
                              @QueryParam("since") String since,
                              @Parameter(description = "How many at most", schema = @Schema(type = SchemaType.INTEGER,
                                      format = "int32", minimum = "1", maximum = "1000", defaultValue = "100"))
                              @QueryParam("limit") String limit) {
        return agent.core().history().since(after(since), limit(limit, 100));
    }

    @GET
    @Path("/report")
    @Operation(summary = "This node's report for a polling fleet view: its state now and the history events after "
            + "`after` (an event's seq; at most 500, oldest first). The same document the agent pushes.")
    @APIResponse(responseCode = "200", description = "The report")
    @APIResponse(responseCode = "400", description = "after is not an event's seq")
    @APIResponse(responseCode = "409", description = "This agent has no cluster name (hulftark.cluster), so it reports "
            + "to no fleet view")
    public Report report(@Parameter(description = "Only events with a greater seq (0: every event kept)",
                                 schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0",
                                         defaultValue = "0"))
                         @QueryParam("after") @DefaultValue("0") String after,
                         @Parameter(description = "The digest of the node's facts the caller holds: the report "
                                 + "carries the facts only when they differ (absent: always)",
                                 schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9a-f]{64}$"))
                         @QueryParam("factsDigest") String factsDigest) {
        if (after.isEmpty() || after.length() > 18 || !after.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ProblemException.badRequest("after must be an event's seq (0 or more), not '" + cut(after, 40) + "'");
        }
        if (factsDigest != null && !factsDigest.matches("[0-9a-f]{64}")) {
            throw ProblemException.badRequest("factsDigest must be a facts digest (64 of 0-9 a-f), not '"
                    + cut(factsDigest, 70) + "'");
        }
        return agent.reports().orElseThrow(() -> new ProblemException(409, "no-cluster", "No cluster",
                        "this agent has no cluster name: set hulftark.cluster to report to a fleet view"))
                .after(Long.parseLong(after), factsDigest);
    }

    @GET
    @Path("/facts")
    @Operation(summary = "This node's facts: its software, each resource's settings (never a secret) and last "
            + "preflight, as the agent sends them to the fleet view when they change")
    @APIResponse(responseCode = "200", description = "The facts, collected now")
    public NodeFacts facts() {
        return agent.facts();
    }

    @POST
    @Path("/validate")
    @OperatorOnly
    @Operation(summary = "Run the preflight (hulft-ark validate) of every resource now and answer its rows",
            description = "The rows go into the node's facts, and to the fleet view with the next report.")
    @APIResponse(responseCode = "200", description = "Each resource's preflight, in tag order")
    public List<Validation> validate() {
        List<Readiness.Result> results;
        try {
            results = agent.readiness().runNow(VALIDATE_BOUND);
        } catch (TimeoutException e) {
            throw new ProblemException(503, "validate-busy", "Preflight not finished",
                    "the preflight did not finish within " + VALIDATE_BOUND.toMinutes() + " minutes: " + e.getMessage()
                            + "; its rows appear in GET /api/v1/facts when it ends");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "validate-interrupted", "Preflight interrupted",
                    "the agent is stopping");
        }
        NodeFacts facts = agent.facts();
        return results.stream().map(r -> new Validation(r.tag(), r.at(), facts.resources().stream()
                .filter(f -> f.tag().equals(r.tag())).findFirst().map(NodeFacts.ResourceFacts::preflight)
                .orElse(List.of()))).toList();
    }

    @POST
    @Path("/resources/{tag}/check")
    @Operation(summary = "Check the resource now and answer with the result")
    @APIResponse(responseCode = "200", description = "The check's result (it also counts towards the status)")
    @APIResponse(responseCode = "404", description = NO_TAG)
    public CheckResult checkNow(@Parameter(description = TAG_PARAM) @PathParam("tag") String tag) {
        known(tag);
        return agent.core().checkNow(tag);
    }

    @POST
    @Path("/resources/{tag}/actions")
    @Consumes(MediaType.APPLICATION_JSON)
    @OperatorOnly
    @Operation(summary = "Run restore, remove, recover or quickCheck on the resource (202; follow Location)",
            description = "Actions on one resource run one at a time, in order; a waiting one is QUEUED.")
    @APIResponse(responseCode = "202", description = "Accepted: the action as recorded; follow Location for its progress",
            headers = @Header(name = "Location", description = "The action's URL (GET /api/v1/actions/{id})",
                    required = true, schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ActionRecord.class)))
    @APIResponse(responseCode = "400", description = "No action, an unknown action, or a reason that is not one line of "
            + "at most 500 characters; or the body is not such JSON")
    @APIResponse(responseCode = "404", description = NO_TAG)
    @APIResponse(responseCode = "429", description = "Too many actions already wait for this resource; try again after "
            + "Retry-After seconds", headers = @Header(name = "Retry-After", description = "Seconds to wait",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0")))
    public Response act(@Parameter(description = TAG_PARAM) @PathParam("tag") String tag,
                        @RequestBody(required = true, description = "The action and why") ActionRequest request,
                        @jakarta.ws.rs.core.Context UriInfo uri) {
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
    @APIResponse(responseCode = "200", description = "The action")
    @APIResponse(responseCode = "404", description = "No action with this id is known to this agent")
    public ActionRecord action(@Parameter(description = "The action's id, as in the Location of its POST",
            schema = @Schema(type = SchemaType.STRING, maxLength = 64)) @PathParam("id") String id) {
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

    private static int limit(String limit, int fallback) {
        return Params.whole("limit", limit, fallback, 1, MAX_LIMIT);
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
