package io.hulftark.fleet.api;

import io.hulftark.fleet.actions.ActionSpec;
import io.hulftark.fleet.actions.batch.Batch;
import io.hulftark.fleet.actions.batch.BatchService;
import io.hulftark.http.CommonProblems;
import io.hulftark.http.Params;
import io.hulftark.http.Problem;
import io.hulftark.http.ProblemException;
import io.hulftark.http.security.CurrentCaller;
import io.hulftark.http.security.OperatorOnly;
import io.hulftark.wire.WireText;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

/** Rolling batches: one action over many clusters, a few at a time. Reads need a viewer credential, the rest an operator's. */
@Path("/api/v1/fleet/batches")
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
public class BatchResource {

    static final String ID = "The batch's id";
    static final String NO_BATCH = "No batch of this id";
    static final String STATES = "RUNNING, PAUSED, SUCCEEDED, FAILED, STOPPED, CANCELLED";

    private final BatchService batches;
    private final CurrentCaller caller;

    public BatchResource(BatchService batches, CurrentCaller caller) {
        this.batches = batches;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @OperatorOnly
    @Operation(summary = "Start a rolling batch (operator)", description = "The selection is resolved now: the named "
            + "clusters with those matching state, q and labels; {} selects every cluster. The clusters start in that "
            + "order, at most concurrency at a time and pauseSeconds apart, each as one fleet action (its own audit and "
            + "ACTION events). A cluster whose action fails or is refused (busy, unknown node, not allowed) counts as "
            + "FAILED; with stopOnFailure the clusters not started yet are then SKIPPED.")
    @APIResponse(responseCode = "202", description = "Accepted: the batch runs",
            headers = @Header(name = "Location", description = "The batch: /api/v1/fleet/batches/{id}", required = true,
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Batch.class)))
    @APIResponse(responseCode = "400", description = "The body is not such JSON; an action, node, tag, reason, "
            + "concurrency (1 to 50), pauseSeconds (0 to 3600) or selection field out of its bounds; a named cluster "
            + "unknown; or the selection matches no cluster (or more than 10,000)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@RequestBody(required = true, description = "The batch") BatchRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("send {\"action\": \"quickCheck\", \"selection\": {...}, "
                    + "\"concurrency\": 2, \"reason\": \"...\"}");
        }
        String p = body.problem();
        if (p != null) {
            throw ProblemException.badRequest(p);
        }
        String reason = body.reason() == null || body.reason().isBlank() ? null : body.reason().strip();
        Batch b = batches.create(new ActionSpec(body.action(), body.node(), body.tag(),
                        Boolean.TRUE.equals(body.force()), reason), body.selection(),
                body.concurrency() == null ? 1 : body.concurrency(), Boolean.TRUE.equals(body.stopOnFailure()),
                body.pauseSeconds() == null ? 0 : body.pauseSeconds(), caller.get().name());
        return Response.accepted(b).location(URI.create("/api/v1/fleet/batches/" + b.id())).build();
    }

    @GET
    @Operation(summary = "Batches, newest first, with their counts (without their clusters: GET one for those)")
    @APIResponse(responseCode = "200", description = "The batches", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = Batch.class)))
    @APIResponse(responseCode = "400", description = "state is not one of its values, before not an id, or limit out "
            + "of 1 to 500", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<Batch> list(@Parameter(description = "Only batches in this state (case-insensitive)", schema = @Schema(
                                    type = SchemaType.STRING, enumeration = {"RUNNING", "PAUSED", "SUCCEEDED", "FAILED",
                                    "STOPPED", "CANCELLED"})) @QueryParam("state") String state,
                            @Parameter(description = "Only batches requested before this one (the next page)",
                                    schema = @Schema(type = SchemaType.STRING, maxLength = 64))
                            @QueryParam("before") String before,
                            @Parameter(description = "At most this many", schema = @Schema(type = SchemaType.INTEGER,
                                    format = "int32", minimum = "1", maximum = "500", defaultValue = "50"))
                            @QueryParam("limit") String limitParam) {
        int limit = Params.whole("limit", limitParam, 50, 1, 500);
        String s = null;
        if (state != null && !state.isBlank()) {
            s = state.strip().toUpperCase(Locale.ROOT);
            if (!List.of(STATES.split(", ")).contains(s)) {
                throw ProblemException.badRequest("state must be one of " + STATES);
            }
        }
        if (before != null && WireText.idProblem("before", before) != null) {
            throw ProblemException.badRequest(WireText.idProblem("before", before));
        }
        return batches.list(s, before, limit);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One batch with each of its clusters")
    @APIResponse(responseCode = "200", description = "The batch", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Batch.class)))
    @APIResponse(responseCode = "404", description = NO_BATCH,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Batch get(@Parameter(description = ID) @PathParam("id") String id) {
        return batches.get(id).orElseThrow(() -> ProblemException.notFound("no batch " + cut(id)));
    }

    @POST
    @Path("/{id}/pause")
    @OperatorOnly
    @Operation(summary = "Pause a running batch (operator): no new starts; running actions go on")
    @APIResponse(responseCode = "200", description = "The batch, PAUSED", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Batch.class)))
    @APIResponse(responseCode = "404", description = NO_BATCH,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The batch is not RUNNING (paused or ended)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Batch pause(@Parameter(description = ID) @PathParam("id") String id) {
        return batches.pause(known(id), caller.get().name());
    }

    @POST
    @Path("/{id}/resume")
    @OperatorOnly
    @Operation(summary = "Resume a paused batch (operator)")
    @APIResponse(responseCode = "200", description = "The batch, RUNNING", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Batch.class)))
    @APIResponse(responseCode = "404", description = NO_BATCH,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The batch is not PAUSED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Batch resume(@Parameter(description = ID) @PathParam("id") String id) {
        return batches.resume(known(id), caller.get().name());
    }

    @POST
    @Path("/{id}/cancel")
    @OperatorOnly
    @Operation(summary = "Cancel a running or paused batch (operator)", description = "The clusters not started are "
            + "CANCELLED; actions that run finish, and the batch ends (endedAt) when the last of them does.")
    @APIResponse(responseCode = "200", description = "The batch, CANCELLED", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Batch.class)))
    @APIResponse(responseCode = "404", description = NO_BATCH,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The batch has ended or is already cancelled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Batch cancel(@Parameter(description = ID) @PathParam("id") String id) {
        return batches.cancel(known(id), caller.get().name());
    }

    /** An id that cannot be a batch's is as unknown as one that is not (and is never echoed raw). */
    private static String known(String id) {
        if (!WireText.isId(id)) {
            throw ProblemException.notFound("no batch of that id");
        }
        return id;
    }

    private static String cut(String s) {
        return WireText.isId(s) ? s : "of that id";
    }
}
