package io.hulftark.fleet.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * openapi/fleet.yaml is the contract: it must equal what the fleet view serves. After a deliberate change of the
 * API, rewrite it with {@code ./mvnw test -Dtest=FleetOpenApiContractTest -Dopenapi.update=true} and review the diff.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
class FleetOpenApiContractTest {

    static final Path CONTRACT = Path.of("openapi", "fleet.yaml");

    @Test
    void theServedDocumentIsTheContract() throws IOException {
        String served = given().accept("application/yaml").get("/q/openapi").then().statusCode(200).extract().asString();
        if (Boolean.getBoolean("openapi.update")) {
            Files.writeString(CONTRACT, served, StandardCharsets.UTF_8);
        }
        assertThat(served).as("the served OpenAPI document differs from " + CONTRACT
                + " (see this test's comment to update it)").isEqualTo(Files.readString(CONTRACT, StandardCharsets.UTF_8));
        assertThat(served).contains("/api/v1/fleet/reports").doesNotContain("/api/v1/node");
    }
}
