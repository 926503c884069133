package io.hulftark.http.security;

import io.hulftark.contract.NotInContract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The node agent sends the same security headers as the fleet view, on answers, problems and RoleRoutes' 404s. */
@QuarkusTest
@TestProfile(SecurityProfile.class)
@NotInContract({"/api/v1/test-", "/api/v1/fleet/"}) // ProbeResource's own paths, and the fleet view's (a 404 here)
class AgentSecurityHeadersTest {

    private static void secured(ValidatableResponse r, int status) {
        r.statusCode(status)
                .header("Content-Security-Policy", "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", equalTo("no-store"));
    }

    @Test
    void answersProblemsAndOtherRolesPathsCarryThem() {
        secured(given().header("Authorization", "Bearer " + SecurityProfile.VIEWER_TOKEN).get("/api/v1/test-read").then(), 200);
        secured(given().get("/api/v1/test-read").then(), 401);
        secured(given().header("Authorization", "Bearer " + SecurityProfile.VIEWER_TOKEN).get("/api/v1/fleet/summary").then(), 404);
        secured(given().get(io.hulftark.app.Management.url("/q/health/live")).then(), 200); // the management interface
        secured(given().get("/q/health/live").then(), 404); // not on the API port
        // The dashboard is the fleet view's: here a 404, still with the headers (revalidated, not stored for a day).
        given().get("/index.html").then().statusCode(404).header("Content-Security-Policy", org.hamcrest.Matchers.startsWith("default-src 'self'"))
                .header("Cache-Control", "no-cache");
    }
}
