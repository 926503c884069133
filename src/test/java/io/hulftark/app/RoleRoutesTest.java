package io.hulftark.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RoleRoutesTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "AGENT, /api/v1/node, true",
            "AGENT, /api/v1/resources/HULFT, true",
            "AGENT, /api/v1/fleet/summary, false",
            "AGENT, /api/v1/fleet, false",
            "AGENT, /q/health/ready, false",
            "AGENT, /, false",
            "AGENT, /index.html, false",
            "FLEET, /api/v1/fleet/summary, true",
            "FLEET, /api/v1/fleet, true",
            "FLEET, /api/v1/node, false",
            "FLEET, /api/v1/fleetx, false",
            "FLEET, /q/health/live, false",
            "FLEET, /q/metrics, false",
            "FLEET, /, true",
            "FLEET, /app.js, true",
    })
    void eachRoleServesItsOwnRoutes(ServerRole role, String path, boolean served) {
        assertThat(RoleRoutes.belongs(role, path)).isEqualTo(served);
    }
}
