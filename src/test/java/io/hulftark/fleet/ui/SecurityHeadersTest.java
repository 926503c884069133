package io.hulftark.fleet.ui;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of response of the fleet view carries the security headers, and nothing is cached as immutable:
 * the dashboard's files are revalidated (and a revalidation answers 304), API and health answers never stored.
 */
@QuarkusTest
@TestProfile(DashboardProfile.class)
class SecurityHeadersTest {

    static final String CSP = "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'";

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(String path, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void secured(String what, HttpResponse<?> r, int status, String cache) {
        assertThat(r.statusCode()).as(what).isEqualTo(status);
        assertThat(r.headers().allValues("Content-Security-Policy")).as(what).containsExactly(CSP);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).as(what).hasValue("DENY");
        assertThat(r.headers().firstValue("Referrer-Policy")).as(what).hasValue("no-referrer");
        assertThat(r.headers().allValues("Cache-Control")).as(what).containsExactly(cache);
    }

    @Test
    void everyKindOfResponseCarriesTheHeaders() throws Exception {
        Map<String, Integer> staticFiles = new LinkedHashMap<>();
        staticFiles.put("/", 200);
        staticFiles.put("/index.html", 200);
        staticFiles.put("/app.js", 200);
        staticFiles.put("/app.css", 200);
        staticFiles.put("/favicon.svg", 200);
        staticFiles.put("/no-such-file.js", 404);
        for (var e : staticFiles.entrySet()) {
            secured(e.getKey(), get(e.getKey(), null, Map.of()), e.getValue(), "no-cache");
        }
        secured("API answer", get("/api/v1/fleet/summary", DashboardProfile.VIEWER, Map.of()), 200, "no-store");
        secured("API problem 401", get("/api/v1/fleet/summary", null, Map.of()), 401, "no-store");
        secured("API problem 404", get("/api/v1/fleet/clusters/no-such-cluster-xyz", DashboardProfile.VIEWER, Map.of()), 404, "no-store");
        secured("the agent's API on the fleet view (RoleRoutes)", get("/api/v1/resources", DashboardProfile.VIEWER, Map.of()), 404, "no-store");
        secured("health (management interface)", get(io.hulftark.app.Management.url("/q/health/live"), null, Map.of()), 200,
                "no-store");
        secured("health on the API port (not served there)", get("/q/health/live", null, Map.of()), 404, "no-store");
    }

    @Test
    void theLiveStreamCarriesThemToo() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/fleet/stream")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + DashboardProfile.VIEWER).header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            secured("stream", r, 200, "no-store");
        }
    }

    @Test
    void theDashboardIsRevalidatedNotKeptAsImmutable() throws Exception {
        HttpResponse<String> first = get("/app.js", null, Map.of());
        String modified = first.headers().firstValue("Last-Modified").orElseThrow();
        assertThat(first.headers().allValues("Cache-Control").toString()).doesNotContain("immutable").doesNotContain("max-age");
        HttpResponse<String> again = get("/app.js", null, Map.of("If-Modified-Since", modified));
        secured("revalidated app.js", again, 304, "no-cache");
    }
}
