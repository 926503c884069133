package io.hulftark.fleet.api;

import io.hulftark.fleet.actions.ActionRefused;
import io.hulftark.http.Problem;
import io.hulftark.http.ProblemException;
import io.hulftark.http.ProblemMappers;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A fleet action that cannot start, as its problem: 400, 404, or 409 with the reason's own type. */
public class ActionProblems {

    @ServerExceptionMapper
    public RestResponse<Problem> refused(ActionRefused e, UriInfo uri) {
        String title = switch (e.kind()) {
            case "action-running" -> "Action running";
            case "needs-force" -> "Needs force";
            case "actions-not-allowed" -> "Actions not allowed";
            case "not-found" -> "Not found";
            case "bad-request" -> "Bad request";
            default -> "Conflict";
        };
        return ProblemMappers.respond(new ProblemException(e.status(), e.kind(), title, e.getMessage()), uri);
    }
}
