package io.hulftark.agent.security;

import io.hulftark.app.ConfigLoader;
import io.hulftark.app.KitConfig;
import io.hulftark.app.KitContext;
import io.smallrye.config.SmallRyeConfig;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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
        SmallRyeConfig config = invoke(ConfigLoader.class, "build", new Class<?>[] {Map.class, Map.class},
                env, Map.of("smallrye.config.mapping.validate-unknown", "false"));
        return locate(config.getOptionalValue(KEY, Path.class), config.getConfigMapping(KitConfig.class), env);
    }

    private static Path stateDir(KitConfig kit, Map<String, String> env) {
        return invoke(KitContext.class, "stateDir", new Class<?>[] {KitConfig.class, Map.class}, kit, env);
    }

    // TEMPORARY bridge: ConfigLoader.build and KitContext.stateDir are package-private and this branch
    // may not change io.hulftark.app. Once they are public (see the hand-over note), call them directly.
    @SuppressWarnings("unchecked")
    private static <T> T invoke(Class<?> owner, String name, Class<?>[] types, Object... args) {
        try {
            Method m = owner.getDeclaredMethod(name, types);
            m.setAccessible(true);
            return (T) m.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(owner.getSimpleName() + "." + name + " is gone", e);
        }
    }
}
