package io.hulftark.agent.api;

import io.hulftark.agent.ActionRecord;
import io.hulftark.agent.AgentService;
import io.hulftark.agent.orders.OrderTaker;
import io.hulftark.http.CommonProblems;
import io.hulftark.http.Problem;
import io.hulftark.http.security.OperatorOnly;
import io.hulftark.wire.ActionOrder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

/**
 * How a fleet view that polls this agent delivers its orders (one that is pushed to uses the agent's own order
 * channel instead): {@code POST /api/v1/orders} with an operator token of this agent. Delivering an order again is
 * safe: its id is the action's, and a known id answers with the record the agent has.
 */
@Path("/api/v1/orders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "agent")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = CommonProblems.UNAUTHORIZED,
        headers = @Header(name = "WWW-Authenticate", description = "How to authenticate: " + CommonProblems.CHALLENGE,
                required = true, schema = @Schema(type = SchemaType.STRING)),
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "413", description = CommonProblems.TOO_LARGE,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class OrderResource {

    private final AgentService agent;

    public OrderResource(AgentService agent) {
        this.agent = agent;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @OperatorOnly
    @Operation(summary = "Run an order of the fleet view (202; follow Location); an order already known answers 200",
            description = "The order's id becomes the action's id: an order runs at most once, however often it is "
                    + "delivered, across restarts of the agent. A refused order (fleet actions not allowed, an unknown "
                    + "tag, an order for another node) is kept as a REFUSED action with the reason as its message, and "
                    + "comes back in the agent's reports like any action.")
    @APIResponse(responseCode = "202", description = "Taken: the action as recorded; follow Location for its progress",
            headers = @Header(name = "Location", description = "The action's URL (GET /api/v1/actions/{id})",
                    required = true, schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ActionRecord.class)))
    @APIResponse(responseCode = "200", description = "An order with this id is known already: its action as it is now "
            + "(nothing new runs)", headers = @Header(name = "Location", description = "The action's URL",
            required = true, schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ActionRecord.class)))
    @APIResponse(responseCode = "400", description = "Not an order (a missing or bad id, cluster, node, tag, action, "
            + "reason or requestedAt), or an order for another node or cluster; the body is not such JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Problem type actions-not-allowed: this agent does not run fleet "
            + "actions (hulftark.agent.fleet-actions.enabled=false); or " + CommonProblems.FORBIDDEN,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "This agent manages no resource with the order's tag",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many actions already wait for this resource; deliver the "
            + "order again after Retry-After seconds", headers = @Header(name = "Retry-After",
            description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER, minimum = "0")),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The journal's disk cannot keep the order (it must run at most "
            + "once, so it runs only once it is on disk), or the agent is stopping; deliver it again after Retry-After "
            + "seconds; or " + CommonProblems.UNAVAILABLE, headers = @Header(name = "Retry-After",
            description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER, minimum = "0")),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response order(@RequestBody(required = true, description = "The order") ActionOrder order,
                          @Context UriInfo uri) {
        OrderTaker.Taken t = agent.orders().take(order);
        if (t.refusal() != null) {
            OrderTaker.Refusal why = t.refusal();
            Response.ResponseBuilder r = Response.status(why.status()).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(why.status(), why.type(), why.title(), why.detail(), Problem.instance(uri)));
            return why.retryAfterSeconds() > 0 ? r.header("Retry-After", Long.toString(why.retryAfterSeconds())).build()
                    : r.build();
        }
        URI location = uri.getBaseUriBuilder().path("api/v1/actions").path(t.record().id()).build();
        return (t.known() ? Response.ok(t.record()) : Response.accepted(t.record())).location(location).build();
    }
}
