package io.hulftark.app;

import io.hulftark.http.Problem;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps each role to its own routes: the agent serves /api/v1 without /api/v1/fleet and no dashboard; the fleet
 * view serves /api/v1/fleet and the dashboard. Anything of the other role is a 404, before static files and
 * REST resources see it.
 * <p>
 * It also keeps the HTTP server metrics' {@code uri} label to a bounded set: Quarkus labels a request with its REST
 * template when a resource matched, and otherwise with the raw path, so random paths (a 401 before matching, an
 * OPTIONS, a refused body) each made a series of their own. Those share {@value #UNKNOWN_PATH} here.
 */
@ApplicationScoped
public class RoleRoutes {

    static final String FLEET_API = "/api/v1/fleet";
    static final int ORDER = Integer.MIN_VALUE + 1;
    /** The label of every request that no REST template matched, but for a static file served (a bounded set). */
    static final String UNKNOWN_PATH = "UNKNOWN";
    /** Where Quarkus REST leaves the matched template for the HTTP metrics (a request's context local). */
    static final String TEMPLATE = "UrlPathTemplate";

    void install(@Observes Router router) {
        ServerRole role = ServerRole.current();
        router.route().order(ORDER).handler(ctx -> {
            String path = ctx.normalizedPath();
            // Set first, so that an exchange that ends without an answer (a reset) is labelled too; REST replaces it
            // with the template it matches.
            metricsPath(ctx, UNKNOWN_PATH);
            ctx.addHeadersEndHandler(v -> {
                if (staticFile(ctx, path, ctx.response().getStatusCode())) {
                    metricsPath(ctx, path);
                }
            });
            if (belongs(role, path)) {
                ctx.next();
            } else {
                notFound(ctx);
            }
        });
    }

    /** A file the dashboard serves: a success outside the API that no REST template matched (a bounded set). */
    private static boolean staticFile(RoutingContext ctx, String path, int status) {
        Context c = context(ctx);
        return c != null && UNKNOWN_PATH.equals(c.getLocal(TEMPLATE)) && !underApi(path) && status < 400;
    }

    /** Sets the uri label of this request's HTTP metrics; {@code null} does nothing. */
    static void metricsPath(RoutingContext ctx, String label) {
        Context c = context(ctx);
        if (label != null && c != null) { // a request's own (duplicated) context: gone with the request
            c.putLocal(TEMPLATE, label);
        }
    }

    private static Context context(RoutingContext ctx) {
        return ctx.request() instanceof HttpServerRequestInternal r ? r.context() : Vertx.currentContext();
    }

    static boolean underApi(String path) {
        return path.equals("/api/v1") || path.startsWith("/api/v1/");
    }

    static String json(Problem p) {
        return new JsonObject().put("type", p.type()).put("title", p.title()).put("status", p.status())
                .put("detail", p.detail()).put("instance", p.instance()).encode();
    }

    static boolean belongs(ServerRole role, String path) {
        boolean fleetApi = path.equals(FLEET_API) || path.startsWith(FLEET_API + "/");
        boolean api = path.equals("/api/v1") || path.startsWith("/api/v1/");
        // Health, metrics and OpenAPI are on the management interface (its own port), never on this one.
        boolean quarkus = path.equals("/q") || path.startsWith("/q/");
        return switch (role) {
            case FLEET -> fleetApi || (!api && !quarkus);
            case AGENT -> api && !fleetApi;
        };
    }

    private static void notFound(RoutingContext ctx) {
        Problem p = Problem.of(404, "not-found", "Not Found", "nothing at " + Problem.instance(ctx.normalizedPath()) + " on this "
                + (ServerRole.current() == ServerRole.FLEET ? "fleet view" : "node agent"),
                Problem.instance(ctx.normalizedPath()));
        String body = json(p);
        ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(body);
    }
}
