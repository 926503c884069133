package io.hulftark.agent.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** openapi/agent.yaml is the agent's contract (see {@link OpenApiContract}). */
@QuarkusTest
class OpenApiContractTest {

    @Test
    void theServedDocumentIsTheContract() throws IOException {
        assertThat(OpenApiContract.check(Path.of("openapi", "agent.yaml")))
                .contains("/api/v1/node").doesNotContain("/api/v1/fleet");
    }
}
