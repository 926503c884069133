package io.hulftark.fleet.api;

import io.hulftark.http.ProblemException;
import io.hulftark.http.security.CurrentCaller;
import io.hulftark.http.security.OperatorOnly;
import io.hulftark.http.security.ReporterOnly;
import io.hulftark.fleet.FleetService;
import io.hulftark.wire.Report;
import io.hulftark.wire.ReportValidator;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.state.Maintenance;
import io.hulftark.fleet.store.AcknowledgementRefusedException;
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
import io.hulftark.http.Params;
import org.eclipse.microprofile.openapi.annotations.Operation;
import io.hulftark.http.CommonProblems;
import io.hulftark.http.Problem;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** The fleet view's REST API. Reads need a viewer credential, acknowledgements and windows an operator's, reports a reporter's. */
@Path("/api/v1/fleet")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "fleet")
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
public class FleetResource {

    static final Duration LONGEST = Duration.ofDays(30);
    static final int MAX_TEXT = 500;
    static final String NAME = "The cluster's name";
    static final String NO_CLUSTER = "No cluster of this name has reported to this fleet view";

    private final FleetService fleet;
    private final CurrentCaller caller;

    public FleetResource(FleetService fleet, CurrentCaller caller) {
        this.fleet = fleet;
        this.caller = caller;
    }

    @GET
    @Path("/whoami")
    @Operation(summary = "The caller's name and role")
    @APIResponse(responseCode = "200", description = "The caller")
    public WhoAmI whoami() {
        return new WhoAmI(caller.get().name(), caller.get().role().name());
    }

    @GET
    @Path("/summary")
    @Operation(summary = "Clusters per state", description = "Counted at 'at', at most 1 s ago: a summary is "
            + "reused for up to a second while no event is recorded, so every change on the stream is in the next one.")
    @APIResponse(responseCode = "200", description = "The summary")
    public Summary summary() {
        return fleet.store().summary(fleet.now());
    }

    @GET
    @Path("/clusters")
    @Operation(summary = "A page of the cluster table; problem clusters first unless sort says otherwise")
    @APIResponse(responseCode = "200", description = "The page")
    @APIResponse(responseCode = "400", description = "A parameter is out of its range or not one of its values")
    public ClusterPage clusters(@Parameter(description = "Only clusters in this state (case-insensitive); MAINTENANCE: "
                                        + "those a maintenance window covers now, whatever their state; absent: every "
                                        + "state", schema = @Schema(implementation = ClusterState.class))
                                @QueryParam("state") String state,
                                @Parameter(description = "Only clusters whose name, one of whose nodes' names, or one "
                                        + "of whose label values holds this (case-insensitive)",
                                        schema = @Schema(type = SchemaType.STRING, maxLength = 64))
                                @QueryParam("q") String q,
                                @Parameter(description = "Only clusters with a node carrying this label, as key=value "
                                        + "(e.g. site=osaka; exact, case-sensitive); repeat for more, each must hold "
                                        + "(by the same node or another)", schema = @Schema(type = SchemaType.ARRAY,
                                        maxItems = 32, implementation = String.class))
                                @QueryParam("label") List<String> labelParams,
                                @Parameter(description = "The order (case-insensitive): PROBLEM (problem clusters first, "
                                        + "longest-standing first), NAME, or SINCE (latest change first)",
                                        schema = @Schema(implementation = ClusterQuery.Sort.class, defaultValue = "PROBLEM"))
                                @QueryParam("sort") @DefaultValue("PROBLEM") String sort,
                                @Parameter(description = "The page, from 0", schema = @Schema(type = SchemaType.INTEGER,
                                        format = "int32", minimum = "0", maximum = "1000000", defaultValue = "0"))
                                @QueryParam("page") String pageParam,
                                @Parameter(description = "Clusters per page", schema = @Schema(type = SchemaType.INTEGER,
                                        format = "int32", minimum = "1", maximum = "500", defaultValue = "50"))
                                @QueryParam("size") String sizeParam) {
        int page = Params.whole("page", pageParam, 0, 0, 1_000_000);
        int size = Params.whole("size", sizeParam, 50, 1, 500);
        if (q != null && q.length() > 64) {
            throw ProblemException.badRequest("q is too long: at most 64 characters");
        }
        ClusterQuery.Sort s = parse(ClusterQuery.Sort.class, "sort", sort);
        Optional<ClusterState> st = state == null || state.isBlank() ? Optional.empty()
                : Optional.of(parse(ClusterState.class, "state", state));
        return fleet.store().clusters(new ClusterQuery(st, Optional.ofNullable(q).filter(x -> !x.isBlank()).map(String::strip),
                s, page, size, labels(labelParams)), fleet.now());
    }

    /** The label filters, key to value: each "key=value" by the rule of the agents' labels, each key once. */
    static Map<String, String> labels(List<String> params) {
        if (params == null || params.isEmpty()) {
            return Map.of();
        }
        if (params.size() > ReportValidator.MAX_LABELS) {
            throw ProblemException.badRequest("too many label filters: " + params.size() + " (at most "
                    + ReportValidator.MAX_LABELS + ")");
        }
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        for (String param : params) {
            int eq = param == null ? -1 : param.indexOf('=');
            if (eq < 0) {
                throw ProblemException.badRequest("label must be key=value, e.g. label=site=osaka");
            }
            String key = param.substring(0, eq);
            String value = param.substring(eq + 1);
            String problem = ReportValidator.labelProblem("label", key, value);
            if (problem != null) {
                throw ProblemException.badRequest(problem);
            }
            if (labels.putIfAbsent(key, value) != null) {
                throw ProblemException.badRequest("label " + key + " is given twice: give each key once");
            }
        }
        return labels;
    }

    @GET
    @Path("/clusters/{name}")
    @Operation(summary = "One cluster: nodes, resources, ports, problems, acknowledgements, maintenance, recent history")
    @APIResponse(responseCode = "200", description = "The cluster")
    @APIResponse(responseCode = "400", description = "history is not a whole number from 0 to 1000")
    @APIResponse(responseCode = "404", description = NO_CLUSTER)
    public ClusterDetail cluster(@Parameter(description = NAME) @PathParam("name") String name,
                                 @Parameter(description = "How many of its latest events to include",
                                         schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "0",
                                                 maximum = "1000", defaultValue = "100"))
                                 @QueryParam("history") String historyParam) {
        int history = Params.whole("history", historyParam, 100, 0, 1000);
        return fleet.store().cluster(name, history, fleet.now())
                .orElseThrow(() -> ProblemException.notFound("no cluster named '" + cut(name) + "'"));
    }

    @GET
    @Path("/events")
    @Operation(summary = "History in id order (after an id, since an instant), or newest first by time and paged; "
            + "of one cluster, kind or node")
    @APIResponse(responseCode = "200", description = "The events, oldest first by id; with order NEWEST newest first by "
            + "time (ties: newest id first)")
    @APIResponse(responseCode = "400", description = "A parameter is out of its range or not of its type")
    public List<FleetEvent> events(@Parameter(description = "Only events with a greater id (0: from the oldest kept)",
                                           schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0",
                                                   defaultValue = "0"))
                                   @QueryParam("afterId") String afterIdParam,
                                   @Parameter(description = "Only events at or after this ISO-8601 instant",
                                           schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                                   @QueryParam("since") String since,
                                   @Parameter(description = "Only events of this cluster", schema = @Schema(type = SchemaType.STRING, maxLength = 256))
                                   @QueryParam("cluster") String cluster,
                                   @Parameter(description = "Only events of this kind (case-insensitive)",
                                           schema = @Schema(type = SchemaType.STRING, enumeration = {"STATE",
                                                   "TRANSITION", "ACTION", "ACK", "MAINTENANCE", "NODE", "CONFIG"}))
                                   @QueryParam("kind") String kindParam,
                                   @Parameter(description = "Only events of this node", schema = @Schema(type = SchemaType.STRING, maxLength = 256))
                                   @QueryParam("node") String node,
                                   @Parameter(description = "ID: oldest first by id (for a reader that follows the history); "
                                           + "NEWEST: newest first by the time they happened, for people (case-insensitive)",
                                           schema = @Schema(implementation = EventQuery.Order.class, defaultValue = "ID"))
                                   @QueryParam("order") @DefaultValue("ID") String orderParam,
                                   @Parameter(description = "With order NEWEST: the id of the last event of the previous "
                                           + "page; only the events after it in that order",
                                           schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"))
                                   @QueryParam("before") String beforeParam,
                                   @Parameter(description = "How many at most", schema = @Schema(type = SchemaType.INTEGER,
                                           format = "int32", minimum = "1", maximum = "1000", defaultValue = "100"))
                                   @QueryParam("limit") String limitParam) {
        long afterId = Params.whole("afterId", afterIdParam, 0L, 0L, Long.MAX_VALUE);
        int limit = Params.whole("limit", limitParam, 100, 1, 1000);
        EventQuery.Order order = parse(EventQuery.Order.class, "order", orderParam);
        OptionalLong before = OptionalLong.empty();
        if (beforeParam != null) {
            if (order != EventQuery.Order.NEWEST) {
                throw ProblemException.badRequest("before pages the order NEWEST only; add order=NEWEST");
            }
            before = OptionalLong.of(Params.whole("before", beforeParam, 1L, 1L, Long.MAX_VALUE));
        }
        Optional<String> kind = Optional.ofNullable(kindParam).filter(k -> !k.isBlank())
                .map(k -> k.strip().toUpperCase(Locale.ROOT));
        if (kind.isPresent() && !EVENT_KINDS.contains(kind.get())) {
            throw ProblemException.badRequest("kind must be one of " + EVENT_KINDS + ", not '" + cut(kindParam) + "'");
        }
        return fleet.store().events(new EventQuery(afterId, Optional.ofNullable(since).map(s -> instant("since", s)),
                Optional.ofNullable(cluster).filter(c -> !c.isBlank()), kind,
                Optional.ofNullable(node).filter(n -> !n.isBlank()), order, before, limit));
    }

    /** The kinds of FleetEvent, as its schema lists them. */
    private static final List<String> EVENT_KINDS = List.of(FleetEvent.STATE, FleetEvent.TRANSITION, FleetEvent.ACTION,
            FleetEvent.ACK, FleetEvent.MAINTENANCE, FleetEvent.NODE, FleetEvent.CONFIG);

    @POST
    @Path("/reports")
    @Consumes(MediaType.APPLICATION_JSON)
    @ReporterOnly
    @Operation(summary = "An agent's report: its full state and its new transitions and actions (reporter credential)")
    @APIResponse(responseCode = "202", description = "Taken and kept: what the report changed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IngestResult.class)))
    @APIResponse(responseCode = "400", description = "The body is not JSON, or not JSON of a report's shape")
    @APIResponse(responseCode = "403", description = "Not a reporter credential, or one for another cluster or node")
    @APIResponse(responseCode = "422", description = "A report's shape, but a field is missing or out of its bounds "
            + "(the detail names it)")
    public Response report(@RequestBody(required = true, description = "The report") Report report) {
        IngestResult result = fleet.ingest(caller.get(), report);
        return Response.accepted(result).build();
    }

    @POST
    @Path("/clusters/{name}/acknowledgements")
    @Consumes(MediaType.APPLICATION_JSON)
    @OperatorOnly
    @Operation(summary = "Acknowledge the cluster's current problem (operator)", description = "It belongs to the "
            + "state and reason the cluster has now and replaces an acknowledgement in force. It ends when the cluster "
            + "returns to OK, when the state changes unless sticky, at until when given, or when removed; each end is "
            + "an ACK event in the history.")
    @APIResponse(responseCode = "201", description = "The acknowledgement",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AckView.class)))
    @APIResponse(responseCode = "400", description = "comment missing, too long or not one line; until past or more "
            + "than 30 days ahead; or the body is not such JSON")
    @APIResponse(responseCode = "404", description = NO_CLUSTER)
    @APIResponse(responseCode = "409", description = "The cluster is OK: there is no problem to acknowledge",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response acknowledge(@Parameter(description = NAME) @PathParam("name") String name,
                                @RequestBody(required = true, description = "The acknowledgement") AckRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("send {\"comment\": \"...\", \"until\": \"2026-01-01T00:00:00Z\"}");
        }
        Instant now = fleet.now();
        text(body.commentProblem(MAX_TEXT));
        if (body.until() != null) {
            future("until", body.until(), now);
        }
        try {
            AckView ack = fleet.store().acknowledge(name, caller.get().name(), body.comment().strip(), body.until(),
                    Boolean.TRUE.equals(body.sticky()), now);
            return Response.status(201).entity(ack).build();
        } catch (UnknownClusterException e) {
            throw ProblemException.notFound(e.getMessage());
        } catch (AcknowledgementRefusedException e) {
            throw new ProblemException(409, "conflict", "Conflict", e.getMessage());
        }
    }

    @DELETE
    @Path("/clusters/{name}/acknowledgements/{id}")
    @OperatorOnly
    @Operation(summary = "Withdraw an acknowledgement (operator)")
    @APIResponse(responseCode = "204", description = "Withdrawn")
    @APIResponse(responseCode = "400", description = "id is not a whole number of 1 or more")
    @APIResponse(responseCode = "404", description = "No such cluster, or it has no acknowledgement of this id")
    public Response unacknowledge(@Parameter(description = NAME) @PathParam("name") String name,
                                  @Parameter(description = "The acknowledgement's id", schema = @Schema(
                                          type = SchemaType.INTEGER, format = "int64", minimum = "1"))
                                  @PathParam("id") String idParam) {
        long id = Params.whole("id", idParam, 0L, 1L, Long.MAX_VALUE);
        if (!fleet.store().removeAcknowledgement(name, id, caller.get().name(), fleet.now())) {
            throw ProblemException.notFound("cluster '" + cut(name) + "' has no acknowledgement " + id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/clusters/{name}/maintenance")
    @Consumes(MediaType.APPLICATION_JSON)
    @OperatorOnly
    @Operation(summary = "Set a maintenance window, one-off or weekly (operator)", description = "A window never "
            + "changes the state: while an occurrence covers now the cluster shows its real state with inMaintenance "
            + "and maintenanceUntil, counts in the summary's MAINTENANCE key and is not notified. A weekly window's "
            + "start is wall-clock time in its IANA zone (DST followed), its duration elapsed time.")
    @APIResponse(responseCode = "201", description = "The window",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MaintenanceView.class)))
    @APIResponse(responseCode = "400", description = "reason missing, too long or not one line; until past or not "
            + "after from; one-off: until missing or more than 30 days ahead or after from; weekly: a day, start, "
            + "duration (more than 0, at most 7 days) or zone (IANA) missing or not of its form; or the body is not "
            + "such JSON")
    @APIResponse(responseCode = "404", description = NO_CLUSTER)
    public Response maintenance(@Parameter(description = NAME) @PathParam("name") String name,
                                @RequestBody(required = true, description = "The window") MaintenanceRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("send {\"from\": ..., \"until\": ..., \"reason\": \"...\"}");
        }
        Instant now = fleet.now();
        Instant from = body.from() == null ? now : body.from();
        text(body.reasonProblem(MAX_TEXT));
        Maintenance.Weekly weekly = null;
        if (body.weekly()) {
            try {
                weekly = Maintenance.Weekly.parse(body.days(), body.start(), body.duration(), body.zone());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest(e.getMessage());
            }
            if (body.until() != null && !body.until().isAfter(now)) {
                throw ProblemException.badRequest("until must be in the future");
            }
        } else {
            future("until", body.until(), now);
            if (Duration.between(from, body.until()).compareTo(LONGEST) > 0) {
                throw ProblemException.badRequest("a window lasts at most 30 days");
            }
        }
        if (body.until() != null && !body.until().isAfter(from)) {
            throw ProblemException.badRequest("until must be after from");
        }
        try {
            MaintenanceView w = fleet.store().addMaintenance(name, new Maintenance(from, body.until(),
                    body.reason().strip(), weekly), caller.get().name(), now);
            return Response.status(201).entity(w).build();
        } catch (UnknownClusterException e) {
            throw ProblemException.notFound(e.getMessage());
        }
    }

    @GET
    @Path("/clusters/{name}/maintenance")
    @Operation(summary = "The cluster's maintenance windows not yet over, with each one's current or next occurrence")
    @APIResponse(responseCode = "200", description = "The windows, by start")
    @APIResponse(responseCode = "404", description = NO_CLUSTER)
    public List<MaintenanceView> windows(@Parameter(description = NAME) @PathParam("name") String name) {
        return fleet.store().cluster(name, 0, fleet.now()).map(ClusterDetail::maintenance)
                .orElseThrow(() -> ProblemException.notFound("no cluster named '" + cut(name) + "'"));
    }

    @DELETE
    @Path("/clusters/{name}/maintenance/{id}")
    @OperatorOnly
    @Operation(summary = "End or cancel a maintenance window (operator)")
    @APIResponse(responseCode = "204", description = "Ended or cancelled")
    @APIResponse(responseCode = "400", description = "id is not a whole number of 1 or more")
    @APIResponse(responseCode = "404", description = "No such cluster, or it has no window of this id")
    public Response endMaintenance(@Parameter(description = NAME) @PathParam("name") String name,
                                   @Parameter(description = "The window's id", schema = @Schema(
                                           type = SchemaType.INTEGER, format = "int64", minimum = "1"))
                                   @PathParam("id") String idParam) {
        long id = Params.whole("id", idParam, 0L, 1L, Long.MAX_VALUE);
        if (!fleet.store().removeMaintenance(name, id, caller.get().name(), fleet.now())) {
            throw ProblemException.notFound("cluster '" + cut(name) + "' has no maintenance window " + id);
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("/clusters/{name}/nodes/{node}")
    @OperatorOnly
    @Operation(summary = "Forget a decommissioned node, so that its silence no longer degrades the cluster (operator)")
    @APIResponse(responseCode = "204", description = "Forgotten")
    @APIResponse(responseCode = "404", description = "No such cluster, or it has no such node")
    public Response forget(@Parameter(description = NAME) @PathParam("name") String name,
                           @Parameter(description = "The node's name") @PathParam("node") String node) {
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
