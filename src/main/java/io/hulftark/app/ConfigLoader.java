package io.hulftark.app;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the kit's configuration without starting Quarkus, from the same sources in the same order
 * as Quarkus would: system properties (400), environment (300), {@code config/application.properties}
 * in the working folder (260), files named by {@code quarkus.config.locations} (255), the same file
 * in the application's folder (255), and the
 * application.properties inside the application (250). One-shot commands use this so that they
 * start in a fraction of the time a Quarkus boot takes (see README, "Start-up time").
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    public static KitConfig load(Map<String, String> env) {
        return load(env, Map.of());
    }

    /** With {@code overrides} above every other source (the demo points the kit at its simulated HULFT). */
    public static KitConfig load(Map<String, String> env, Map<String, String> overrides) {
        return build(env, overrides, KitConfig.class, "prod").getConfigMapping(KitConfig.class);
    }

    /** Another of the application's mappings (security, ...), read from the same sources. */
    public static <T> T mapping(Map<String, String> env, Class<T> mapping) {
        return build(env, Map.of(), mapping, "prod").getConfigMapping(mapping);
    }

    /** As {@link #mapping(Map, Class)} under a profile: the fleet view reads its keys as "%fleet." ones too. */
    public static <T> T mapping(Map<String, String> env, Class<T> mapping, String profile) {
        return build(env, Map.of(), mapping, profile).getConfigMapping(mapping);
    }

    /** Only the mapping asked for is built: each one costs a one-shot command start-up time. */
    static SmallRyeConfig build(Map<String, String> env, Map<String, String> overrides, Class<?> mapping,
                                String profile) {
        ClassLoader cl = ConfigLoader.class.getClassLoader();
        List<ConfigSource> sources = new ArrayList<>();
        if (!overrides.isEmpty()) {
            sources.add(new PropertiesConfigSource(overrides, "overrides", 500));
        }
        sources.add(new SysPropConfigSource());
        sources.add(new EnvConfigSource(env, 300));
        file(Path.of("config", "application.properties"), 260).ifPresent(sources::add);
        sources.addAll(locations(env));
        appFolderConfig().ifPresent(sources::add);
        // Read straight from the class path: SmallRye's loaders open a zip file system per jar, which costs start-up time.
        try {
            for (URL url : Collections.list(cl.getResources("application.properties"))) {
                sources.add(new PropertiesConfigSource(url, 250));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in application.properties", e);
        }
        return new SmallRyeConfigBuilder()
                .withProfile(profile)
                .addDefaultInterceptors()
                .withSources(sources)
                // Quarkus's own converter, so "10s" and "PT10S" read the same as in the agent.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(mapping)
                // The agent's keys (hulftark.agent.*, ...) are validated by the agent; a one-shot
                // command must not fail on a key that only the agent reads.
                .withValidateUnknown(false)
                .build();
    }

    /**
     * {@code <app>/config/application.properties}, where {@code <app>} holds quarkus-run.jar: the
     * LifeKeeper launcher runs us from a working folder of LifeKeeper's choosing, so the site's
     * settings are found next to the application instead.
     */
    static Optional<ConfigSource> appFolderConfig() {
        try {
            Path jar = Path.of(ConfigLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path appDir = jar.getParent() == null ? null : jar.getParent().getParent();
            if (appDir == null || !Files.isRegularFile(jar) || !Files.isRegularFile(appDir.resolve("quarkus-run.jar"))) {
                return Optional.empty();
            }
            Path file = appDir.resolve("config").resolve("application.properties");
            if (file.toAbsolutePath().equals(Path.of("config", "application.properties").toAbsolutePath())) {
                return Optional.empty(); // the working folder's, already read
            }
            return file(file, 255);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Optional<ConfigSource> file(Path file, int ordinal) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PropertiesConfigSource(file.toUri().toURL(), ordinal));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<ConfigSource> locations(Map<String, String> env) {
        String value = System.getProperty("quarkus.config.locations", env.get("QUARKUS_CONFIG_LOCATIONS"));
        List<ConfigSource> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String location : value.split(",")) {
            Path file = Path.of(location.strip());
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("quarkus.config.locations names " + file + ", which is not a file");
            }
            try {
                out.add(new PropertiesConfigSource(file.toUri().toURL(), 255));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
