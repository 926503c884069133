package io.hulftark.http.security;

import io.smallrye.config.ConfigMapping;

import java.nio.file.Path;
import java.util.Optional;

/** The node agent's credentials ({@code hulftark.security.*}). */
@ConfigMapping(prefix = "hulftark.security")
public interface SecurityConfig {

    /** The API tokens (hashes only); default: {@code <hulftark.state-dir>/tokens}. */
    Optional<Path> tokensFile();
}
