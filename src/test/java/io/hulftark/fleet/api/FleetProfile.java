package io.hulftark.fleet.api;

import io.hulftark.http.security.ReporterScope;
import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The application in the fleet role on the embedded store, in a fresh state directory, with a fixed set of
 * tokens (a test may add more: the tokens file is read again when it changes). Other test classes use it too, so
 * Quarkus boots it once for all of them.
 */
public class FleetProfile implements QuarkusTestProfile {

    public static final String VIEWER = "hak_fleet-viewer-for-tests-only";
    public static final String OPERATOR = "hak_fleet-operator-for-tests-only";
    /** May report for every node of cluster "alpha". */
    public static final String ALPHA = "hak_fleet-reporter-alpha-for-tests-only";
    /** May report for node "b1" of cluster "beta" only. */
    public static final String BETA_B1 = "hak_fleet-reporter-beta-b1-for-tests-only";
    /** May report for every node of cluster "gamma" (acknowledgement tests). */
    public static final String GAMMA_G1 = "hak_fleet-reporter-gamma-for-tests-only";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("hulftark.role", "fleet", "quarkus.datasource.embedded.active", "true",
                "quarkus.http.limits.max-body-size", "2M");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(StateDir.class));
    }

    public static class StateDir implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                Files.createDirectories(Path.of("target"));
                // Fresh each run: counts in the tests start from an empty store. H2 wants an absolute path.
                Path dir = Files.createTempDirectory(Path.of("target"), "fleet-test-state").toAbsolutePath();
                Path file = dir.resolve("tokens");
                TokenStore store = new TokenStore(file);
                store.add("vera", Role.VIEWER, VIEWER);
                store.add("otto", Role.OPERATOR, OPERATOR);
                store.add("agent-alpha", Role.REPORTER, Optional.of(new ReporterScope("alpha", Optional.empty())), ALPHA);
                store.add("agent-beta-b1", Role.REPORTER, Optional.of(new ReporterScope("beta", Optional.of("b1"))),
                        BETA_B1);
                store.add("agent-gamma", Role.REPORTER, Optional.of(new ReporterScope("gamma", Optional.empty())),
                        GAMMA_G1);
                return Map.of("hulftark.state-dir", dir.toString(), "hulftark.security.tokens-file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
        }
    }
}
