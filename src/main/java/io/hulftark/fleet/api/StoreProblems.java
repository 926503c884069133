package io.hulftark.fleet.api;

import io.hulftark.http.Problem;
import io.hulftark.fleet.FleetService;
import io.hulftark.fleet.store.FleetStoreException;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Optional;

/**
 * The store's failures as problems: a store that cannot take work for a while (a full disk, a closed database,
 * an unreachable server) is a 503 naming it, with Retry-After, and no log line (StoreAvailability logs each
 * change of cause once); any other store failure is the 500 it always was, logged with its stack trace.
 */
public class StoreProblems {

    /** Seconds a client should wait: the availability probe runs every second, agents back off on their own. */
    static final int RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(StoreProblems.class);

    @Inject
    FleetService fleet;

    @ServerExceptionMapper
    public RestResponse<Problem> store(FleetStoreException e, UriInfo uri, ContainerRequestContext request) {
        String path = uri == null ? null : Problem.instance(uri);
        if (e.fault().isEmpty()) {
            LOG.errorf(e, "%s %s failed", request == null ? "" : request.getMethod(), path);
            return RestResponse.ResponseBuilder.<Problem>create(500)
                    .entity(Problem.of(500, "internal", "Internal error", "internal error", path))
                    .type(Problem.MEDIA_TYPE).build();
        }
        String detail = fleet.availability().flatMap(a -> a.problem()
                        .or(() -> Optional.of(a.where() + " " + e.fault().get().describe())))
                .orElse("the fleet view's store " + e.fault().get().describe());
        return RestResponse.ResponseBuilder.<Problem>create(503)
                .entity(Problem.of(503, "store-unavailable", "Store unavailable", cut(detail), path))
                .header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
                .type(Problem.MEDIA_TYPE).build();
    }

    private static String cut(String s) {
        String line = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return line.length() <= 300 ? line : line.substring(0, 297) + "...";
    }
}
