package io.hulftark.app;

import io.hulftark.agent.api.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps each role to its own routes: the agent serves /api/v1 without /api/v1/fleet and no dashboard; the fleet
 * view serves /api/v1/fleet and the dashboard. Anything of the other role is a 404, before static files and
 * REST resources see it.
 */
@ApplicationScoped
public class RoleRoutes {

    static final String FLEET_API = "/api/v1/fleet";

    void install(@Observes Router router) {
        ServerRole role = ServerRole.current();
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (belongs(role, ctx.normalizedPath())) {
                ctx.next();
            } else {
                notFound(ctx);
            }
        });
    }

    static boolean belongs(ServerRole role, String path) {
        boolean fleetApi = path.equals(FLEET_API) || path.startsWith(FLEET_API + "/");
        boolean api = path.equals("/api/v1") || path.startsWith("/api/v1/");
        boolean quarkus = path.equals("/q") || path.startsWith("/q/");
        return switch (role) {
            case FLEET -> fleetApi || !api;
            case AGENT -> quarkus || (api && !fleetApi);
        };
    }

    private static void notFound(RoutingContext ctx) {
        Problem p = Problem.of(404, "not-found", "Not Found", "nothing at " + Problem.instance(ctx.normalizedPath()) + " on this "
                + (ServerRole.current() == ServerRole.FLEET ? "fleet view" : "node agent"),
                Problem.instance(ctx.normalizedPath()));
        String body = new JsonObject().put("type", p.type()).put("title", p.title()).put("status", p.status())
                .put("detail", p.detail()).put("instance", p.instance()).encode();
        ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(body);
    }
}
