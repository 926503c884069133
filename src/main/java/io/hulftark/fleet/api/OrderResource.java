package io.hulftark.fleet.api;

import io.hulftark.fleet.actions.OrderBook;
import io.hulftark.fleet.actions.delivery.OrderDelivery;
import io.hulftark.fleet.actions.delivery.OrderWaiters;
import io.hulftark.http.CommonProblems;
import io.hulftark.http.Params;
import io.hulftark.http.Problem;
import io.hulftark.http.ProblemException;
import io.hulftark.http.security.Caller;
import io.hulftark.http.security.CurrentCaller;
import io.hulftark.http.security.ReporterOnly;
import io.hulftark.http.security.ReporterScope;
import io.hulftark.wire.ActionOrder;
import io.hulftark.wire.WireText;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import java.util.List;

/**
 * {@code GET /api/v1/fleet/orders}: the push agent's order channel. The agent opens it (nodes behind a firewall
 * accept no connections) with its reporter credential and the fleet view answers as soon as orders wait for the
 * node, else holds it, without a thread, until one is placed or {@code wait} seconds pass. The cluster is the
 * credential's scope.
 */
@Path("/api/v1/fleet/orders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "fleet")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = CommonProblems.UNAUTHORIZED,
        headers = @Header(name = "WWW-Authenticate", description = "How to authenticate: " + CommonProblems.CHALLENGE,
                required = true, schema = @Schema(type = SchemaType.STRING)),
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "413", description = CommonProblems.TOO_LARGE,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = CommonProblems.UNAVAILABLE,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class OrderResource {

    static final int DEFAULT_WAIT = 25;
    static final int MAX_WAIT = 60;

    private final OrderDelivery delivery;
    private final CurrentCaller caller;

    public OrderResource(OrderDelivery delivery, CurrentCaller caller) {
        this.delivery = delivery;
        this.caller = caller;
    }

    @GET
    @ReporterOnly
    @Blocking // the first look at the book is a store query; the wait after it holds no thread
    @Cancellable // a client that goes away ends its wait at once (no waiter left behind)
    @Operation(summary = "The orders waiting for this node (its agent's reporter credential); waits for one up to wait s",
            description = "Answers at once with the node's waiting orders (at most 20, oldest first) and marks them "
                    + "handed out; else holds the request until one is placed for the node (answered within a second) "
                    + "or wait seconds pass. An order not taken (the agent's report shows its action) is handed out "
                    + "again after a few seconds: the agent runs an order's id at most once. Every held request of a "
                    + "node is woken; the orders go to the first that asks the store.")
    @APIResponse(responseCode = "200", description = "Orders for the node, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ActionOrder.class, maxItems = 20)))
    @APIResponse(responseCode = "204", description = "No order within wait seconds: ask again")
    @APIResponse(responseCode = "400", description = "node missing or not a name; wait not a whole number from 0 to 60",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Not a reporter credential, or one for another cluster or node",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> orders(@Parameter(description = "The node whose orders to take", required = true,
                                        schema = @Schema(type = SchemaType.STRING, pattern = "^[A-Za-z0-9._@-]{1,64}$"))
                                @QueryParam("node") String node,
                                @Parameter(description = "The cluster; absent: the credential's. Another one is refused",
                                        schema = @Schema(type = SchemaType.STRING, pattern = "^[A-Za-z0-9._@-]{1,64}$"))
                                @QueryParam("cluster") String cluster,
                                @Parameter(description = "How long to wait for an order, in seconds",
                                        schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "0",
                                                maximum = "60", defaultValue = "25"))
                                @QueryParam("wait") String waitParam) {
        String problem = WireText.idProblem("node", node);
        if (problem != null) {
            throw ProblemException.badRequest(problem);
        }
        if (cluster != null && (problem = WireText.idProblem("cluster", cluster)) != null) {
            throw ProblemException.badRequest(problem);
        }
        int wait = Params.whole("wait", waitParam, DEFAULT_WAIT, 0, MAX_WAIT);
        OrderBook.NodeKey key = new OrderBook.NodeKey(scoped(caller.get(), cluster, node), node);
        OrderWaiters waiters = delivery.waiters();
        List<ActionOrder> now = waiters.take(key);
        if (!now.isEmpty() || wait == 0) {
            return Uni.createFrom().item(answer(now));
        }
        OrderWaiters.Waiter w = waiters.hold(key, wait * 1000L);
        return Uni.createFrom().completionStage(w.result())
                .onItem().transform(OrderResource::answer)
                .onCancellation().invoke(() -> waiters.cancel(w));
    }

    /** The cluster the caller may take this node's orders for. */
    private static String scoped(Caller c, String cluster, String node) {
        ReporterScope scope = c.scope().orElseThrow(() -> forbidden(c.name() + " is not an agent's reporter credential"));
        if ((cluster != null && !cluster.equals(scope.cluster())) || !scope.permits(scope.cluster(), node)) {
            throw forbidden(c.name() + " may take orders for " + scope.describe() + ", not for node " + node
                    + " of cluster " + (cluster == null ? scope.cluster() : cluster));
        }
        return scope.cluster();
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail);
    }

    private static Response answer(List<ActionOrder> orders) {
        return orders.isEmpty() ? Response.noContent().build() : Response.ok(orders, MediaType.APPLICATION_JSON).build();
    }
}
