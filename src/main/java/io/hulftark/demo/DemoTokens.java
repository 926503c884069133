package io.hulftark.demo;

import io.hulftark.http.security.ReporterScope;
import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;

import java.nio.file.Path;
import java.util.Optional;

/** The demo's credentials, made with the same token machinery as {@code hulft-ark token new}. */
final class DemoTokens {

    private DemoTokens() {
    }

    /** A new token for a person or a program with {@code role}, its hash added to {@code file}. */
    static String add(Path file, String name, Role role) {
        String token = TokenStore.newToken();
        new TokenStore(file).add(name, role, token);
        return token;
    }

    /** A reporter token ({@code reporter:CLUSTER}) that every node of {@code cluster} reports with. */
    static String addReporter(Path file, String name, String cluster) {
        String token = TokenStore.newToken();
        new TokenStore(file).add(name, Role.REPORTER, Optional.of(new ReporterScope(cluster, Optional.empty())), token);
        return token;
    }
}
