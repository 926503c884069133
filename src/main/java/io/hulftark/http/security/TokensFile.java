package io.hulftark.http.security;

import io.hulftark.app.ConfigLoader;
import io.hulftark.app.KitConfig;
import io.hulftark.app.KitContext;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the API tokens live: {@code hulftark.security.tokens-file}, else {@code tokens} in the state
 * folder. The agent and {@code hulft-ark token new} must agree on it, so both ask here.
 */
public final class TokensFile {

    static final String KEY = "hulftark.security.tokens-file";

    private TokensFile() {
    }

    public static Path locate(Optional<Path> configured, KitConfig kit, Map<String, String> env) {
        return configured.orElseGet(() -> stateDir(kit, env).resolve("tokens"));
    }

    /** For the one-shot commands, which do not boot Quarkus: from the configuration {@link ConfigLoader} reads. */
    public static Path fromConfig(Map<String, String> env) {
        return locate(ConfigLoader.mapping(env, SecurityConfig.class).tokensFile(), ConfigLoader.load(env), env);
    }

    /** As {@link #fromConfig(Map)}, with the keys of a Quarkus profile ({@code %fleet.}) applied. */
    public static Path fromConfig(Map<String, String> env, String profile) {
        return locate(ConfigLoader.mapping(env, SecurityConfig.class, profile).tokensFile(), ConfigLoader.load(env), env);
    }

    /**
     * Before a server starts: a tokens file others could have written is refused with its one-line reason
     * (ssh's rule), rather than serving while every token is refused. A missing file is the store's to report.
     *
     * @throws TokenStore.InsecureFileException with the reason
     */
    public static void requireSafe(Path file) {
        new TokenStore(file, line -> { }).requireSafe();
    }

    private static Path stateDir(KitConfig kit, Map<String, String> env) {
        return KitContext.stateDir(kit, env);
    }
}
