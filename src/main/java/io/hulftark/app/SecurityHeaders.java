package io.hulftark.app;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Security and caching headers on every response of both roles: REST answers, problems, the live stream,
 * static files and the 404s of {@link RoleRoutes}. Set as the headers go out (a headers-end handler installed by
 * the first route), so whatever produced the response, they are there.
 * <ul>
 *   <li>The dashboard's policy allows its own files and its own origin only: no inline script or style, no
 *       frame around it, no plug-in, no {@code <base>}; forms post to itself.</li>
 *   <li>{@code /api/} and {@code /q/} answers are never stored. Everything else (the dashboard's files, none of
 *       which has a version in its name) is revalidated on each use: {@code no-cache}, never {@code immutable},
 *       so a new release is seen at the next load.</li>
 * </ul>
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String CSP = "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    void install(@Observes Router router) {
        addTo(router);
    }

    /** The management interface (health, metrics, OpenAPI on their own port, where a site enables it) too. */
    void installManagement(@Observes ManagementInterface management) {
        addTo(management.router());
    }

    private static void addTo(Router router) {
        // Before RoleRoutes (MIN_VALUE + 1), so its 404s get them too.
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String path = ctx.normalizedPath();
            ctx.addHeadersEndHandler(v -> apply(path, ctx.response().headers()));
            ctx.next();
        });
    }

    /** Plain, so a unit test can name each case. */
    static void apply(String path, MultiMap headers) {
        headers.set("Content-Security-Policy", CSP);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        if (path == null || isData(path)) {
            headers.set("Cache-Control", "no-store");
        } else {
            // Vert.x's static handler says "public, immutable, max-age=86400": a release would not reach the browser.
            headers.set("Cache-Control", "no-cache");
        }
    }

    private static boolean isData(String path) {
        return path.equals("/api") || path.startsWith("/api/") || path.equals("/q") || path.startsWith("/q/");
    }
}
