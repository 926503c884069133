package io.hulftark.fleet.api;

import io.hulftark.fleet.actions.ActionService;
import io.hulftark.fleet.actions.FleetAction;
import io.hulftark.fleet.actions.FleetActionStep;
import io.hulftark.fleet.store.JdbcActionStore;
import io.hulftark.http.CommonProblems;
import io.hulftark.http.Params;
import io.hulftark.http.Problem;
import io.hulftark.http.ProblemException;
import io.hulftark.http.security.CurrentCaller;
import io.hulftark.http.security.OperatorOnly;
import io.hulftark.wire.WireText;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fleet actions over REST: an operator starts one on a cluster; viewers read one, and search and export the
 * audit. Reporter credentials get 403 on all of it (AuthFilter: a reporter only sends reports).
 */
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
@APIResponse(responseCode = "503", description = CommonProblems.UNAVAILABLE,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class FleetActionResource {

    static final String CSV = "text/csv";
    private static final Set<String> STATES = Set.of("PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED");

    private final ActionService actions;
    private final CurrentCaller caller;

    public FleetActionResource(ActionService actions, CurrentCaller caller) {
        this.actions = actions;
        this.caller = caller;
    }

    @POST
    @Path("/clusters/{name}/actions")
    @Consumes(MediaType.APPLICATION_JSON)
    @OperatorOnly
    @Operation(summary = "Start an action on a cluster (operator)", description = "restore, remove, recover or "
            + "quickCheck on a node (quickCheck without node: every node), or switchover to a node (without node: the "
            + "cluster's only standby). Each step is an order to one node's agent, which runs it the way it runs its "
            + "own actions (through LifeKeeper's perform_action where LifeKeeper manages the resource). Under "
            + "LifeKeeper a switchover is one restore on the target, which LifeKeeper itself turns into a switchover; "
            + "in direct mode it is remove on the serving node, then restore on the target, and if that restore fails "
            + "restore on the original node again. A switchover succeeds when the cluster is OK served on the target.")
    @APIResponse(responseCode = "202", description = "Started: follow it at Location",
            headers = @Header(name = "Location", description = "The action: /api/v1/fleet/actions/{id}", required = true,
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FleetAction.class)))
    @APIResponse(responseCode = "400", description = "action not one of its values, node not a name, tag or reason not "
            + "of its form, node missing for an action that needs one, several standby nodes and no node named; or "
            + "the body is not such JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such cluster, or it has no such node or resource",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Problem type action-running (the cluster runs an action: one "
            + "at a time; the detail names it), needs-force (it would leave the cluster with no serving node), "
            + "actions-not-allowed (the node's agent does not run fleet actions), or conflict (HULFT already runs "
            + "on the switchover's target)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = CommonProblems.TOO_LARGE,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response start(@Parameter(description = FleetResource.NAME) @PathParam("name") String name,
                          @RequestBody(required = true, description = "The action") FleetActionRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("send {\"action\": \"switchover\", \"node\": \"node-b\", \"reason\": \"...\"}");
        }
        FleetAction a = actions.start(name, body.spec(), caller.get().name(), null);
        return Response.accepted(a).location(URI.create("/api/v1/fleet/actions/" + a.id())).build();
    }

    @GET
    @Path("/actions/{id}")
    @Operation(summary = "One fleet action with each step on each node: state, messages, exit code, duration")
    @APIResponse(responseCode = "200", description = "The action",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FleetAction.class)))
    @APIResponse(responseCode = "404", description = "No action of this id (or it is older than the retention)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public FleetAction action(@Parameter(description = "The action's id") @PathParam("id") String id) {
        return actions.get(id).orElseThrow(() -> ProblemException.notFound("no action of id '" + cut(id) + "'"));
    }

    @GET
    @Path("/actions")
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(summary = "The audit of fleet actions, newest first; as CSV with Accept: text/csv or format=csv")
    @APIResponse(responseCode = "200", description = "The actions, newest first",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = FleetAction.class)),
                    @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING, description = "A header row, "
                            + "then one row per action (RFC 4180; a cell that begins with = + - or @ begins with ')"))})
    @APIResponse(responseCode = "400", description = "A parameter is out of its range or not of its form",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response search(@Parameter(description = "Only actions on this cluster", schema = @Schema(
                                   type = SchemaType.STRING, maxLength = 64)) @QueryParam("cluster") String cluster,
                           @Parameter(description = "Only actions requested by this token's name", schema = @Schema(
                                   type = SchemaType.STRING, maxLength = 64)) @QueryParam("by") String by,
                           @Parameter(description = "Only actions in this state", schema = @Schema(
                                   type = SchemaType.STRING, enumeration = {"PENDING", "RUNNING", "SUCCEEDED", "FAILED",
                                   "CANCELLED"})) @QueryParam("state") String state,
                           @Parameter(description = "Only actions requested at or after this ISO-8601 instant",
                                   schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                           @QueryParam("since") String since,
                           @Parameter(description = "Only actions requested before this ISO-8601 instant",
                                   schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                           @QueryParam("until") String until,
                           @Parameter(description = "The id of the last action of the previous page: only older ones",
                                   schema = @Schema(type = SchemaType.STRING, maxLength = 64))
                           @QueryParam("before") String before,
                           @Parameter(description = "How many at most", schema = @Schema(type = SchemaType.INTEGER,
                                   format = "int32", minimum = "1", maximum = "500", defaultValue = "100"))
                           @QueryParam("limit") String limitParam,
                           @Parameter(description = "csv: the same as Accept: text/csv", schema = @Schema(
                                   type = SchemaType.STRING, enumeration = {"json", "csv"}))
                           @QueryParam("format") String format,
                           @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        int limit = Params.whole("limit", limitParam, 100, 1, 500);
        String st = blank(state) ? null : state.strip().toUpperCase(Locale.ROOT);
        if (st != null && !STATES.contains(st)) {
            throw ProblemException.badRequest("state must be one of " + STATES.stream().sorted().toList() + ", not '"
                    + cut(state) + "'");
        }
        for (String[] p : new String[][] {{"cluster", cluster}, {"by", by}, {"before", before}}) {
            if (!blank(p[1]) && !WireText.isId(p[1].strip())) {
                throw ProblemException.badRequest(p[0] + " is not a name (1 to 64 of A-Z a-z 0-9 . _ @ -)");
            }
        }
        if (!blank(format) && !Set.of("json", "csv").contains(format.strip().toLowerCase(Locale.ROOT))) {
            throw ProblemException.badRequest("format must be json or csv, not '" + cut(format) + "'");
        }
        List<FleetAction> found = actions.search(new JdbcActionStore.Query(strip(cluster), strip(by), st,
                blank(since) ? null : FleetResource.instant("since", since),
                blank(until) ? null : FleetResource.instant("until", until), strip(before), limit));
        boolean csv = !blank(format) ? format.strip().equalsIgnoreCase("csv")
                : accept != null && accept.toLowerCase(Locale.ROOT).contains(CSV)
                && !accept.toLowerCase(Locale.ROOT).contains(MediaType.APPLICATION_JSON);
        if (!csv) {
            return Response.ok(found, MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.ok(csv(found), CSV + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"fleet-actions.csv\"").build();
    }

    static final List<String> CSV_HEADER = List.of("id", "cluster", "action", "node", "tag", "force", "reason",
            "requestedBy", "requestedAt", "state", "endedAt", "durationMillis", "detail", "batch", "steps");

    /** RFC 4180 (CRLF, quotes doubled), and no cell a spreadsheet would take for a formula. */
    static String csv(List<FleetAction> actions) {
        StringBuilder b = new StringBuilder();
        row(b, CSV_HEADER);
        for (FleetAction a : actions) {
            row(b, List.of(a.id(), a.cluster(), a.action(), str(a.node()), str(a.tag()), String.valueOf(a.force()),
                    str(a.reason()), a.requestedBy(), a.requestedAt().toString(), a.state(), str(a.endedAt()),
                    str(a.durationMillis()), str(a.detail()), str(a.batch()),
                    a.steps().stream().map(FleetActionResource::step).collect(Collectors.joining("; "))));
        }
        return b.toString();
    }

    private static String step(FleetActionStep s) {
        return s.seq() + " " + s.action() + " " + s.tag() + " on " + s.node() + (s.rollback() ? " (rollback)" : "")
                + ": " + s.state() + (s.exitCode() == null ? "" : " exit " + s.exitCode());
    }

    private static void row(StringBuilder b, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(cell(cells.get(i)));
        }
        b.append("\r\n");
    }

    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v; // CSV injection: never a formula in a spreadsheet
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            v = '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String strip(String s) {
        return blank(s) ? null : s.strip();
    }

    private static String cut(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
