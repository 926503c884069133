package io.hulftark.fleet.api;

import io.hulftark.agent.api.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** openapi/fleet.yaml is the fleet view's contract (see {@link OpenApiContract}). */
@QuarkusTest
@TestProfile(FleetProfile.class)
class FleetOpenApiContractTest {

    @Test
    void theServedDocumentIsTheContract() throws IOException {
        assertThat(OpenApiContract.check(Path.of("openapi", "fleet.yaml")))
                .contains("/api/v1/fleet/reports").doesNotContain("/api/v1/node");
    }
}
