package io.hulftark.http.security;

import io.hulftark.http.security.CurrentCaller;
import io.hulftark.http.security.OperatorOnly;

import io.hulftark.http.ProblemException;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Test-only endpoints for the security and problem tests. Present only under {@link SecurityProfile},
 * so other @QuarkusTests (and the OpenAPI contract test) never see them.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@IfBuildProperty(name = "test.hulftark.probe-resource", stringValue = "true")
public class ProbeResource {

    public record Answer(String caller, String role) {
    }

    public record Body(String name, int count) {
    }

    @Inject
    CurrentCaller caller;

    @GET
    @Path("test-read")
    public Answer read() {
        return answer();
    }

    @POST
    @Path("test-act")
    @OperatorOnly
    public Answer act() {
        return answer();
    }

    @POST
    @Path("test-body")
    @Consumes(MediaType.APPLICATION_JSON)
    public Body body(Body body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body is needed");
        }
        return body;
    }

    @GET
    @Path("test-fail")
    public Answer fail() {
        throw new IllegalStateException("secret internals at line 42");
    }

    @GET
    @Path("test-conflict")
    public Answer conflict() {
        throw new ProblemException(409, "busy", "Resource busy", "restore of hulft is running");
    }

    private Answer answer() {
        return new Answer(caller.get().name(), caller.get().role().name());
    }
}
