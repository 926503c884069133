package io.hulftark.fleet.api;

import io.hulftark.agent.api.ProblemException;
import io.hulftark.agent.security.CurrentCaller;
import io.hulftark.agent.security.OperatorOnly;
import io.hulftark.agent.security.ReporterOnly;
import io.hulftark.fleet.FleetService;
import io.hulftark.fleet.report.Report;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.store.IngestResult;
import io.hulftark.fleet.store.UnknownClusterException;
import io.hulftark.fleet.view.AckView;
import io.hulftark.fleet.view.ClusterDetail;
import io.hulftark.fleet.view.ClusterPage;
import io.hulftark.fleet.view.ClusterQuery;
import io.hulftark.fleet.view.EventQuery;
import io.hulftark.fleet.view.FleetEvent;
import io.hulftark.fleet.view.MaintenanceView;
import io.hulftark.fleet.view.Summary;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The fleet view's REST API. Reads need a viewer credential, acknowledgements and windows an operator's, reports a reporter's. */
@Path("/api/v1/fleet")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "fleet")
@SecurityRequirement(name = "bearer")
public class FleetResource {

    static final Duration LONGEST = Duration.ofDays(30);
    static final int MAX_TEXT = 500;

    private final FleetService fleet;
    private final CurrentCaller caller;

    public FleetResource(FleetService fleet, CurrentCaller caller) {
        this.fleet = fleet;
        this.caller = caller;
    }

    @GET
    @Path("/whoami")
    @Operation(summary = "The caller's name and role")
    public WhoAmI whoami() {
        return new WhoAmI(caller.get().name(), caller.get().role().name());
    }

    @GET
    @Path("/summary")
    @Operation(summary = "Clusters per state", description = "Counted at 'at', at most 1 s ago: a summary is "
            + "reused for up to a second while no event is recorded, so every change on the stream is in the next one.")
    public Summary summary() {
        return fleet.store().summary(fleet.now());
    }

    @GET
    @Path("/clusters")
    @Operation(summary = "A page of the cluster table; problem clusters first unless sort says otherwise")
    public ClusterPage clusters(@QueryParam("state") String state, @QueryParam("q") String q,
                                @QueryParam("sort") @DefaultValue("PROBLEM") String sort,
                                @QueryParam("page") @DefaultValue("0") int page,
                                @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0 || page > 1_000_000) {
            throw ProblemException.badRequest("page must be 0 or more, not " + page);
        }
        if (size < 1 || size > 500) {
            throw ProblemException.badRequest("size must be 1 to 500, not " + size);
        }
        if (q != null && q.length() > 64) {
            throw ProblemException.badRequest("q is too long: at most 64 characters");
        }
        ClusterQuery.Sort s = parse(ClusterQuery.Sort.class, "sort", sort);
        Optional<ClusterState> st = state == null || state.isBlank() ? Optional.empty()
                : Optional.of(parse(ClusterState.class, "state", state));
        return fleet.store().clusters(new ClusterQuery(st, Optional.ofNullable(q).filter(x -> !x.isBlank()).map(String::strip),
                s, page, size), fleet.now());
    }

    @GET
    @Path("/clusters/{name}")
    @Operation(summary = "One cluster: nodes, resources, ports, problems, acknowledgements, maintenance, recent history")
    public ClusterDetail cluster(@PathParam("name") String name, @QueryParam("history") @DefaultValue("100") int history) {
        if (history < 0 || history > 1000) {
            throw ProblemException.badRequest("history must be 0 to 1000, not " + history);
        }
        return fleet.store().cluster(name, history, fleet.now())
                .orElseThrow(() -> ProblemException.notFound("no cluster named '" + cut(name) + "'"));
    }

    @GET
    @Path("/events")
    @Operation(summary = "History in id order: after an id, since an instant, of one cluster")
    public List<FleetEvent> events(@QueryParam("afterId") @DefaultValue("0") long afterId,
                                   @QueryParam("since") String since, @QueryParam("cluster") String cluster,
                                   @QueryParam("limit") @DefaultValue("100") int limit) {
        if (afterId < 0) {
            throw ProblemException.badRequest("afterId must be 0 or more");
        }
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("limit must be 1 to 1000, not " + limit);
        }
        return fleet.store().events(new EventQuery(afterId, Optional.ofNullable(since).map(s -> instant("since", s)),
                Optional.ofNullable(cluster).filter(c -> !c.isBlank()), limit));
    }

    @POST
    @Path("/reports")
    @Consumes(MediaType.APPLICATION_JSON)
    @ReporterOnly
    @Operation(summary = "An agent's report: its full state and its new transitions and actions (reporter credential)")
    public Response report(Report report) {
        IngestResult result = fleet.ingest(caller.get(), report);
        return Response.accepted(result).build();
    }

    @POST
    @Path("/clusters/{name}/acknowledgements")
    @Consumes(MediaType.APPLICATION_JSON)
    @OperatorOnly
    @Operation(summary = "Acknowledge the cluster's problem until an instant (operator)")
    public Response acknowledge(@PathParam("name") String name, AckRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("send {\"comment\": \"...\", \"until\": \"2026-01-01T00:00:00Z\"}");
        }
        Instant now = fleet.now();
        text(body.commentProblem(MAX_TEXT));
        future("until", body.until(), now);
        try {
            AckView ack = fleet.store().acknowledge(name, caller.get().name(), body.comment().strip(), body.until(), now);
            return Response.status(201).entity(ack).build();
        } catch (UnknownClusterException e) {
            throw ProblemException.notFound(e.getMessage());
        }
    }

    @DELETE
    @Path("/clusters/{name}/acknowledgements/{id}")
    @OperatorOnly
    @Operation(summary = "Withdraw an acknowledgement (operator)")
    public Response unacknowledge(@PathParam("name") String name, @PathParam("id") long id) {
        if (!fleet.store().removeAcknowledgement(name, id, caller.get().name(), fleet.now())) {
            throw ProblemException.notFound("cluster '" + cut(name) + "' has no acknowledgement " + id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/clusters/{name}/maintenance")
    @Consumes(MediaType.APPLICATION_JSON)
    @OperatorOnly
    @Operation(summary = "Set a maintenance window (operator); one that covers now makes the cluster MAINTENANCE at once")
    public Response maintenance(@PathParam("name") String name, MaintenanceRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("send {\"from\": ..., \"until\": ..., \"reason\": \"...\"}");
        }
        Instant now = fleet.now();
        Instant from = body.from() == null ? now : body.from();
        text(body.reasonProblem(MAX_TEXT));
        future("until", body.until(), now);
        if (!body.until().isAfter(from)) {
            throw ProblemException.badRequest("until must be after from");
        }
        if (Duration.between(from, body.until()).compareTo(LONGEST) > 0) {
            throw ProblemException.badRequest("a window lasts at most 30 days");
        }
        try {
            MaintenanceView w = fleet.store().addMaintenance(name, from, body.until(), body.reason().strip(),
                    caller.get().name(), now);
            return Response.status(201).entity(w).build();
        } catch (UnknownClusterException e) {
            throw ProblemException.notFound(e.getMessage());
        }
    }

    @DELETE
    @Path("/clusters/{name}/maintenance/{id}")
    @OperatorOnly
    @Operation(summary = "End or cancel a maintenance window (operator)")
    public Response endMaintenance(@PathParam("name") String name, @PathParam("id") long id) {
        if (!fleet.store().removeMaintenance(name, id, caller.get().name(), fleet.now())) {
            throw ProblemException.notFound("cluster '" + cut(name) + "' has no maintenance window " + id);
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("/clusters/{name}/nodes/{node}")
    @OperatorOnly
    @Operation(summary = "Forget a decommissioned node, so that its silence no longer degrades the cluster (operator)")
    public Response forget(@PathParam("name") String name, @PathParam("node") String node) {
        try {
            if (!fleet.store().forgetNode(name, node, caller.get().name(), fleet.now())) {
                throw ProblemException.notFound("cluster '" + cut(name) + "' has no node '" + cut(node) + "'");
            }
        } catch (UnknownClusterException e) {
            throw ProblemException.notFound(e.getMessage());
        }
        return Response.noContent().build();
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String param, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(param + " must be one of " + List.of(type.getEnumConstants())
                    + ", not '" + cut(value) + "'");
        }
    }

    static Instant instant(String param, String value) {
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(param + " must be an ISO-8601 instant such as 2026-11-25T10:00:00Z, not '"
                    + cut(value) + "'");
        }
    }

    /** A free text's problem by the wire's rule (WireText), as a 400. */
    private static void text(String problem) {
        if (problem != null) {
            throw ProblemException.badRequest(problem);
        }
    }

    private static void future(String field, Instant value, Instant now) {
        if (value == null) {
            throw ProblemException.badRequest(field + " is missing (an ISO-8601 instant)");
        }
        if (!value.isAfter(now)) {
            throw ProblemException.badRequest(field + " must be in the future");
        }
        if (value.isAfter(now.plus(LONGEST))) {
            throw ProblemException.badRequest(field + " must be at most 30 days ahead");
        }
    }

    private static String cut(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
