package io.hulftark.http.security;

import io.hulftark.http.Problem;
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
        boolean reporterOnly = annotated(resource, ReporterOnly.class);
        Optional<Caller> caller = current.find();
        if (reporterOnly || (caller.isPresent() && caller.get().role() == Role.REPORTER)) {
            if (caller.isEmpty()) {
                return Optional.of(unauthorized(request, "no credential: send 'Authorization: Bearer <token>'"));
            }
            if (reporterOnly != (caller.get().role() == Role.REPORTER)) {
                return Optional.of(forbidden(request, reporterOnly
                        ? "only an agent's reporter credential sends reports; " + caller.get().name() + " is a "
                        + caller.get().role().name().toLowerCase(java.util.Locale.ROOT)
                        : caller.get().name() + " is a reporter credential: it can only send reports"));
            }
            return Optional.empty();
        }
        if (!annotated(resource, OperatorOnly.class)) {
            return Optional.empty();
        }
        if (caller.isEmpty()) { // an @OperatorOnly resource outside /api/v1: refuse rather than let it through
            return Optional.of(unauthorized(request, "no credential: send 'Authorization: Bearer <token>'"));
        }
        if (!caller.get().role().allows(Role.OPERATOR)) {
            return Optional.of(forbidden(request, "this action needs the operator role; " + caller.get().name()
                    + " is a viewer"));
        }
        return Optional.empty();
    }

    private static boolean annotated(ResourceInfo resource, Class<? extends java.lang.annotation.Annotation> a) {
        return resource.getResourceMethod() != null
                && (resource.getResourceMethod().isAnnotationPresent(a) || resource.getResourceClass().isAnnotationPresent(a));
    }

    private static RestResponse<Problem> forbidden(ContainerRequestContext request, String detail) {
        return RestResponse.ResponseBuilder
                .create(RestResponse.Status.FORBIDDEN, Problem.of(403, "forbidden", "Forbidden", detail,
                        Problem.instance(request.getUriInfo())))
                .type(Problem.MEDIA_TYPE).build();
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
