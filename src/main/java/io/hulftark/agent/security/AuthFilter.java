package io.hulftark.agent.security;

import io.hulftark.agent.api.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every request under {@code /api/v1} needs {@code Authorization: Bearer <token>} (401 otherwise);
 * a method or class marked {@link OperatorOnly} needs the operator role (403 otherwise). Health,
 * metrics and OpenAPI are not JAX-RS resources and never reach these filters.
 */
public class AuthFilter {

    static final String API = "/api/v1";
    static final String CHALLENGE = "Bearer realm=\"hulft-ark\"";
    private static final Logger LOG = Logger.getLogger(AuthFilter.class);
    // RFC 6750's b64token; the scheme is case-insensitive.
    private static final Pattern BEARER = Pattern.compile("(?i:bearer) +([A-Za-z0-9\\-._~+/]+=*)");

    @Inject
    TokenStore tokens;

    @Inject
    CurrentCaller current;

    /** Pre-matching, so that an unknown path under /api/v1 also asks for a credential before it says 404. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Optional<RestResponse<Problem>> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!underApi(path)) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return Optional.of(unauthorized(request, "no credential: send 'Authorization: Bearer <token>'"));
        }
        Matcher m = BEARER.matcher(header.strip());
        if (!m.matches()) {
            return Optional.of(unauthorized(request, "the Authorization header is not 'Bearer <token>'"));
        }
        Optional<Caller> caller = tokens.authenticate(m.group(1));
        if (caller.isEmpty()) {
            LOG.debugf("unknown token for %s %s", request.getMethod(), path);
            return Optional.of(unauthorized(request, "unknown token (tokens are made with 'hulft-ark token new')"));
        }
        current.set(caller.get());
        return Optional.empty();
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Optional<RestResponse<Problem>> authorize(ContainerRequestContext request, ResourceInfo resource) {
        boolean operatorOnly = resource.getResourceMethod() != null
                && (resource.getResourceMethod().isAnnotationPresent(OperatorOnly.class)
                || resource.getResourceClass().isAnnotationPresent(OperatorOnly.class));
        if (!operatorOnly) {
            return Optional.empty();
        }
        Optional<Caller> caller = current.find();
        if (caller.isEmpty()) { // an @OperatorOnly resource outside /api/v1: refuse rather than let it through
            return Optional.of(unauthorized(request, "no credential: send 'Authorization: Bearer <token>'"));
        }
        if (!caller.get().role().allows(Role.OPERATOR)) {
            return Optional.of(RestResponse.ResponseBuilder
                    .create(RestResponse.Status.FORBIDDEN, Problem.of(403, "forbidden", "Forbidden",
                            "this action needs the operator role; " + caller.get().name() + " is a viewer",
                            Problem.instance(request.getUriInfo())))
                    .type(Problem.MEDIA_TYPE).build());
        }
        return Optional.empty();
    }

    static boolean underApi(String path) {
        return path != null && (path.equals(API) || path.startsWith(API + "/"));
    }

    private static RestResponse<Problem> unauthorized(ContainerRequestContext request, String detail) {
        return RestResponse.ResponseBuilder
                .create(RestResponse.Status.UNAUTHORIZED, Problem.of(401, "unauthorized", "Unauthorized", detail,
                        Problem.instance(request.getUriInfo())))
                .type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                .build();
    }
}
