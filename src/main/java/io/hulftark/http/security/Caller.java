package io.hulftark.http.security;

import java.util.Objects;
import java.util.Optional;

/**
 * Who called, as the token file names them. Never carries the token.
 *
 * @param scope for a reporter, the cluster (and maybe the node) it may report for; empty for viewers and operators
 */
public record Caller(String name, Role role, Optional<ReporterScope> scope) {

    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(scope, "scope");
        if ((role == Role.REPORTER) != scope.isPresent()) {
            throw new IllegalArgumentException("a reporter, and only a reporter, has a scope");
        }
    }

    public Caller(String name, Role role) {
        this(name, role, Optional.empty());
    }
}
