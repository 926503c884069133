package io.hulftark.fleet.api;

import io.hulftark.http.Problem;
import io.hulftark.http.ProblemException;
import io.hulftark.http.ProblemMappers;
import io.hulftark.fleet.store.UnknownClusterException;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The fleet store's own "not found": any operator write on a cluster that never reported (an acknowledgement, a
 * window, their removal, forgetting a node) is a 404 problem, whichever resource method let it through.
 */
public class FleetProblems {

    @ServerExceptionMapper
    public RestResponse<Problem> unknownCluster(UnknownClusterException e, UriInfo uri) {
        return ProblemMappers.respond(ProblemException.notFound(e.getMessage()), uri);
    }
}
