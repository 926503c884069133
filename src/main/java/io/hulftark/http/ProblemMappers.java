package io.hulftark.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.arc.Arc;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every error of the REST API as an RFC 9457 problem ({@code application/problem+json}), in one
 * place: our own {@link ProblemException}s, JAX-RS's 404/405/415/406, unreadable JSON, and anything
 * unexpected (500, logged here with its stack trace, never sent). Bodies that are too large, too slow
 * or too many are refused before REST sees them, by io.hulftark.app.UploadRoutes.
 */
public class ProblemMappers {

    /** The API's bodies are a few hundred bytes; anything near this is a mistake or an attack. */
    public static final long MAX_BODY_BYTES = 16 * 1024;
    /** A fleet-view report: an agent's state and up to 1,000 events of its backlog. */
    public static final long MAX_REPORT_BYTES = 1024 * 1024;
    public static final String REPORTS = "/api/v1/fleet/reports";
    static final int MAX_DETAIL = 200;
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /**
     * The most bytes a request body to {@code path} may have, whether its length is declared or it is chunked;
     * io.hulftark.app.UploadRoutes applies it while it reads the body, before any of this code runs.
     */
    public static long maxBodyBytes(String path) {
        return REPORTS.equals(path) ? MAX_REPORT_BYTES : MAX_BODY_BYTES;
    }

    /**
     * OPTIONS names the methods of the path asked about (Quarkus REST's own answer names every method of the
     * resource class). After authentication: like every other call under /api/v1, it needs a credential.
     */
    @ServerRequestFilter(preMatching = true, priority = Priorities.HEADER_DECORATOR + 1)
    public Optional<RestResponse<Object>> options(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!HttpMethod.OPTIONS.equals(request.getMethod()) || !(path.equals("/api/v1") || path.startsWith("/api/v1/"))) {
            return Optional.empty();
        }
        Set<String> allowed = routes().allowed(path);
        if (allowed.isEmpty()) {
            return Optional.empty(); // JAX-RS answers its 404
        }
        return Optional.of(RestResponse.ResponseBuilder.noContent().header(HttpHeaders.ALLOW, String.join(", ", allowed))
                .build());
    }

    /**
     * An operation that reads JSON needs a body declared as JSON: without a Content-Type, JAX-RS would read it
     * anyway (and a wrong one it refuses with 415 itself).
     */
    @ServerRequestFilter(priority = Priorities.HEADER_DECORATOR)
    public Optional<RestResponse<Problem>> contentType(ContainerRequestContext request, ResourceInfo resource) {
        Method m = resource.getResourceMethod();
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (m == null || (type != null && !type.isBlank())) {
            return Optional.empty();
        }
        Consumes consumes = m.isAnnotationPresent(Consumes.class) ? m.getAnnotation(Consumes.class)
                : resource.getResourceClass().getAnnotation(Consumes.class);
        if (consumes == null) {
            return Optional.empty();
        }
        return Optional.of(response(Problem.of(415, "unsupported-media-type", "Unsupported Media Type",
                "the body must be sent as " + String.join(" or ", consumes.value()) + " (Content-Type is missing)",
                Problem.instance(request.getUriInfo())), Map.of()));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> problem(ProblemException e, UriInfo uri) {
        return respond(e, uri);
    }

    /** The answer to {@code e}, for mappers of other exceptions that mean a problem of ours. */
    public static RestResponse<Problem> respond(ProblemException e, UriInfo uri) {
        return response(Problem.of(e.status(), e.kind(), e.title(), cut(e.getMessage()), path(uri)), Map.of());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> webApplication(WebApplicationException e, UriInfo uri, ContainerRequestContext request) {
        // quarkus-rest-jackson wraps unparseable JSON (JsonParseException) in a 400 WebApplicationException.
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        Response r = e.getResponse();
        int status = r == null ? 500 : r.getStatus();
        String path = path(uri);
        String detail;
        Map<String, List<Object>> headers = r == null ? Map.of() : Map.copyOf(r.getHeaders());
        if (e instanceof NotFoundException && e.getCause() != null) {
            // JAX-RS's answer to a path or query parameter it could not convert: the request is wrong, not the path.
            return response(Problem.of(400, "bad-request", "Bad request", cut("a parameter is not of its type: "
                    + e.getCause().getMessage()), path), Map.of());
        } else if (e instanceof NotFoundException) {
            detail = "nothing at " + path;
        } else if (e instanceof NotAllowedException) {
            // Quarkus REST's own 405 does not say which methods would do: the resources' annotations do.
            Set<String> allowed = new TreeSet<>(r == null ? Set.of() : r.getAllowedMethods());
            if (allowed.isEmpty() && uri != null) {
                allowed.addAll(routes().allowed(uri.getPath()));
            }
            detail = "method " + request.getMethod() + " is not allowed here"
                    + (allowed.isEmpty() ? "" : "; allowed: " + String.join(", ", allowed));
            if (!allowed.isEmpty()) {
                headers = Map.of(HttpHeaders.ALLOW, List.of(String.join(", ", allowed)));
            }
        } else if (e instanceof NotSupportedException) {
            detail = "content type " + request.getMediaType() + " is not accepted here";
        } else if (e instanceof NotAcceptableException) {
            detail = "cannot answer in any of the accepted types: " + request.getHeaderString(HttpHeaders.ACCEPT);
        } else {
            detail = e.getMessage() == null ? reason(status) : e.getMessage();
        }
        if (status >= 500) {
            LOG.errorf(e, "%s %s failed", request.getMethod(), path);
        }
        return response(Problem.of(status, kind(status), reason(status), cut(detail), path), headers);
    }

    /** The body is not JSON, or not JSON of the expected shape. */
    @ServerExceptionMapper
    public RestResponse<Problem> json(JsonProcessingException e, UriInfo uri) {
        if (e instanceof InvalidDefinitionException) { // our type cannot be built: a bug, not the caller's fault
            return internal(e, uri, null);
        }
        String what = e.getOriginalMessage() == null ? "unreadable JSON" : e.getOriginalMessage();
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            // name the member, e.g. "events[0].at: ...", as the report's own checks do
            StringBuilder field = new StringBuilder();
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    field.append(field.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    field.append('[').append(ref.getIndex()).append(']');
                }
            }
            what = field + ": " + what;
        }
        if (e.getLocation() != null) {
            what += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return response(Problem.of(400, "malformed-json", "Malformed JSON", cut("the request body: " + what), path(uri)),
                Map.of());
    }

    /** Explicitly, because quarkus-rest-jackson has its own mapper for this subtype, which would win over {@link #json}. */
    @ServerExceptionMapper
    public RestResponse<Problem> mismatched(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> internal(Throwable e, UriInfo uri, ContainerRequestContext request) {
        LOG.errorf(e, "%s %s failed", request == null ? "" : request.getMethod(), path(uri));
        return response(Problem.of(500, "internal", "Internal error", "internal error", path(uri)), Map.of());
    }

    private static volatile Routes routes;

    /** The REST resources' routes, read once from the beans that carry {@code @Path}. */
    static Routes routes() {
        Routes r = routes;
        if (r == null) {
            List<Class<?>> types = new java.util.ArrayList<>();
            for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
                if (bean.getBeanClass().isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    types.add(bean.getBeanClass());
                }
            }
            r = routes = new Routes(types);
        }
        return r;
    }

    private static RestResponse<Problem> response(Problem problem, Map<String, List<Object>> headers) {
        RestResponse.ResponseBuilder<Problem> b = RestResponse.ResponseBuilder.<Problem>create(problem.status())
                .entity(problem);
        headers.forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return b.type(Problem.MEDIA_TYPE).build();
    }

    private static String kind(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "too-large";
            case 415 -> "unsupported-media-type";
            default -> status >= 500 ? "internal" : "http-" + status;
        };
    }

    private static String reason(int status) {
        Response.Status s = Response.Status.fromStatusCode(status);
        return s == null ? "HTTP " + status : s.getReasonPhrase();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : Problem.instance(uri);
    }

    /** One line of at most 200 characters, so that no detail echoes a large or multi-line input. */
    static String cut(String s) {
        return cut(s, MAX_DETAIL);
    }

    static String cut(String s, int max) {
        if (s == null) {
            return null;
        }
        String line = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }
}
