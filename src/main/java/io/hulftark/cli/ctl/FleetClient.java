package io.hulftark.cli.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.cli.ExitCodes;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The fleet view's REST API as ctl uses it: JDK HttpClient, a bearer token, a timeout on every request, and every
 * failure turned into a {@link CtlException} whose line is the problem's detail (RFC 9457) when the answer has one.
 */
public final class FleetClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    /** A 2xx answer: its body as text (for --json) and parsed. */
    public record Answer(int status, String body, JsonNode json, Optional<String> location) {
    }

    private final URI base;
    private final Optional<String> token;
    private final String tokenSource;
    private final HttpClient http;

    /**
     * @param tokenSource the environment variable the token came from, named when the fleet view refuses it
     */
    public FleetClient(URI base, Optional<String> token, String tokenSource) {
        this.base = base;
        this.token = token;
        this.tokenSource = tokenSource;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The base URL ctl talks to: http or https with a host, no query, and never user-info, which would put a secret
     * on the command line (ps, shell history) and which the fleet view does not read anyway.
     */
    public static URI parseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the URL must start with http:// or https://, not '" + url + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the URL must not hold a user or password; the token is read from the "
                    + "environment (HULFTARK_TOKEN)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("the URL has no host: '" + url + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the URL must not hold a query or fragment: '" + url + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    /** One path segment, percent-encoded (a cluster's name may hold characters a path may not). */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query parameter; a null value is left out of the query. */
    public static Map.Entry<String, String> param(String name, String value) {
        return new java.util.AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    /** A query string from pairs (absent values left out), each encoded; "" when there are none. */
    public static String query(List<Map.Entry<String, String>> params) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> p : params) {
            if (p.getValue() == null) {
                continue;
            }
            b.append(b.isEmpty() ? '?' : '&').append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    public URI base() {
        return base;
    }

    public Answer get(String pathAndQuery) {
        return send(request(pathAndQuery).header("Accept", "application/json").GET().build());
    }

    /** A GET whose answer is text of another type (e.g. text/csv): the body as it came, never read as JSON. */
    public Answer getText(String pathAndQuery, String accept) {
        return send(request(pathAndQuery).header("Accept", accept).GET().build(), false);
    }

    public Answer post(String path, JsonNode body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return send(request(path).header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build());
    }

    public Answer post(String path) {
        return send(request(path).header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /**
     * Opens an endless text/event-stream. The answer's headers must come within the request timeout; the body then
     * has none (it is read until the caller closes it).
     */
    public InputStream stream(String pathAndQuery, Optional<String> lastEventId) {
        HttpRequest.Builder b = request(pathAndQuery).header("Accept", "text/event-stream");
        lastEventId.ifPresent(id -> b.header("Last-Event-ID", id));
        CompletableFuture<HttpResponse<InputStream>> f = http.sendAsync(b.GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> r;
        try {
            r = f.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new CtlException(ExitCodes.UNREACHABLE, "the fleet view at " + base + " did not answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw unreachable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException(ExitCodes.UNREACHABLE, "interrupted");
        }
        if (r.statusCode() / 100 != 2) {
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw failure(r.statusCode(), body);
        }
        return r.body();
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(REQUEST_TIMEOUT);
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private Answer send(HttpRequest request) {
        return send(request, true);
    }

    /** @param json whether the body is JSON to read (a 2xx answer that is not is the wrong server) */
    private Answer send(HttpRequest request, boolean json) {
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException(ExitCodes.UNREACHABLE, "interrupted");
        }
        if (r.statusCode() / 100 != 2) {
            throw failure(r.statusCode(), r.body());
        }
        if (!json) {
            return new Answer(r.statusCode(), r.body(), null, r.headers().firstValue("Location"));
        }
        JsonNode tree = null;
        if (!r.body().isBlank()) {
            try {
                tree = JSON.readTree(r.body());
            } catch (JsonProcessingException e) {
                throw new CtlException(ExitCodes.UNREACHABLE, base + " answered " + r.statusCode()
                        + " with something that is not JSON: is it the fleet view?");
            }
        }
        return new Answer(r.statusCode(), r.body().strip(), tree, r.headers().firstValue("Location"));
    }

    private CtlException unreachable(Throwable e) {
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else {
            why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new CtlException(ExitCodes.UNREACHABLE, "cannot reach the fleet view at " + base + ": " + why);
    }

    /** A non-2xx answer as an exit code and one line: the problem's detail, else its title, else the status. */
    CtlException failure(int status, String body) {
        String detail = problemDetail(body).orElse("HTTP " + status);
        int code = exitCode(status);
        if (status == 401) {
            detail = detail + (token.isPresent() ? " (the token in " + tokenSource + ")" : " (" + tokenSource
                    + " is not set)");
        } else if (status / 100 == 5) {
            detail = "the fleet view at " + base + " answered " + status + ": " + detail;
        }
        return new CtlException(code, detail);
    }

    /** The exit code for an HTTP status that is not a success. */
    public static int exitCode(int status) {
        return switch (status) {
            case 400, 413, 415, 422 -> ExitCodes.USAGE;
            case 401, 403 -> ExitCodes.NOT_AUTHORISED;
            case 404, 410 -> ExitCodes.NOT_FOUND;
            case 409 -> ExitCodes.REFUSED;
            default -> status / 100 == 5 ? ExitCodes.UNREACHABLE : ExitCodes.FAILED;
        };
    }

    /** The RFC 9457 detail (else title) of a problem body, on one line; empty when the body is not one. */
    public static Optional<String> problemDetail(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode p = JSON.readTree(body);
            for (String field : List.of("detail", "title")) {
                JsonNode v = p.path(field);
                if (v.isTextual() && !v.asText().isBlank()) {
                    return Optional.of(Render.oneLine(v.asText()));
                }
            }
        } catch (JsonProcessingException notJson) {
            // a proxy's HTML page, say: the status says enough
        }
        return Optional.empty();
    }
}
