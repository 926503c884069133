package io.hulftark.app;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the kit's configuration without starting Quarkus, from the same sources in the same order
 * as Quarkus would: system properties (400), environment (300), {@code config/application.properties}
 * in the working folder (260), files named by {@code quarkus.config.locations} (255), and the
 * application.properties inside the application (250). One-shot commands use this so that they
 * start in a fraction of the time a Quarkus boot takes (see README, "Start-up time").
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    public static KitConfig load(Map<String, String> env) {
        return build(env).getConfigMapping(KitConfig.class);
    }

    static SmallRyeConfig build(Map<String, String> env) {
        ClassLoader cl = ConfigLoader.class.getClassLoader();
        List<ConfigSource> sources = new ArrayList<>();
        sources.add(new SysPropConfigSource());
        sources.add(new EnvConfigSource(env, 300));
        sources.addAll(PropertiesConfigSourceLoader.inFileSystem("config/application.properties", 260, cl));
        sources.addAll(locations(env));
        sources.addAll(PropertiesConfigSourceLoader.inClassPath("application.properties", 250, cl));
        return new SmallRyeConfigBuilder()
                .withProfile("prod")
                .addDefaultInterceptors()
                .withSources(sources)
                .withMapping(KitConfig.class)
                .build();
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
