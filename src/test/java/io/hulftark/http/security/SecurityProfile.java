package io.hulftark.http.security;

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

/** The agent with the test-only {@link ProbeResource} and a tokens file holding one viewer and one operator. */
public class SecurityProfile implements QuarkusTestProfile {

    // Fixed, so that the test needs no state shared with the resource (they may load in different class loaders).
    static final String VIEWER_TOKEN = "hak_viewer-token-for-tests-only";
    static final String OPERATOR_TOKEN = "hak_operator-token-for-tests-only";

    @Override
    public Map<String, String> getConfigOverrides() {
        // max-body-size as the hand-over note asks application.properties to set it: a limit for chunked bodies.
        return Map.of("test.hulftark.probe-resource", "true", "quarkus.http.limits.max-body-size", "64K");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(TokensFileResource.class));
    }

    public static class TokensFileResource implements QuarkusTestResourceLifecycleManager {
        private Path dir;

        @Override
        public Map<String, String> start() {
            try {
                dir = Files.createTempDirectory("hulft-ark-tokens");
                Path file = dir.resolve("tokens");
                TokenStore store = new TokenStore(file);
                store.add("vera", Role.VIEWER, VIEWER_TOKEN);
                store.add("otto", Role.OPERATOR, OPERATOR_TOKEN);
                return Map.of("hulftark.security.tokens-file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
                Files.delete(dir);
            } catch (IOException e) {
                // a temp folder left behind is harmless
            }
        }
    }
}
