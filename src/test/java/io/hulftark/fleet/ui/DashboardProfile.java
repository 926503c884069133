package io.hulftark.fleet.ui;

import io.hulftark.http.security.ReporterScope;
import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet view for the browser tests: a tokens file of its own with one viewer and one operator; reporter
 * tokens (one per cluster, as a site would make them) are added while the app runs, which the token store
 * picks up without a restart. Not FleetProfile: the API tests count clusters from an empty store, and these
 * tests add clusters of their own.
 */
public class DashboardProfile implements QuarkusTestProfile {

    // Fixed, so that the test needs no state shared with the app (they load in different class loaders).
    static final String VIEWER = "hak_ui-viewer-token-for-tests-only";
    static final String OPERATOR = "hak_ui-operator-token-for-tests-only";
    static final Path TOKENS = Path.of("target/ui-test/tokens-" + ProcessHandle.current().pid()).toAbsolutePath();
    static final Path STATE = Path.of("target/ui-test/state-" + ProcessHandle.current().pid()).toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            // Quarkus may ask more than once: the file of this JVM is made once and keeps the reporters added since.
            if (!Files.exists(TOKENS)) {
                Files.createDirectories(TOKENS.getParent());
                TokenStore store = new TokenStore(TOKENS);
                store.add("vera", Role.VIEWER, VIEWER);
                store.add("otto", Role.OPERATOR, OPERATOR);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The fleet role on the embedded store, in a state directory of its own, fresh for every run.
        return Map.of("hulftark.role", "fleet",
                "quarkus.datasource.embedded.active", "true",
                "hulftark.state-dir", STATE.toString(),
                "hulftark.security.tokens-file", TOKENS.toString());
    }

    /** A reporter token for one cluster, made on first use. */
    static synchronized String reporter(String cluster) {
        String token = "hak_ui-reporter-" + cluster;
        TokenStore store = new TokenStore(TOKENS);
        if (store.authenticate(token).isEmpty()) {
            store.add("rep-" + cluster, Role.REPORTER, Optional.of(new ReporterScope(cluster, Optional.empty())), token);
        }
        return token;
    }
}
