package io.hulftark.agent.fast;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What a launcher's JVM would read before it runs a check, as lines: the application's code, every configuration
 * file in the order the kit's {@code ConfigLoader} reads them (by digest), the environment the kit and the
 * commands it runs read, system properties and the user. The launcher's client ({@code hulft-ark-fast}) computes
 * the same lines from its side; the agent answers only when both are equal, so any input that would make the
 * JVM see another configuration sends the check to the JVM. The rules here and in the client are one contract:
 * change both.
 */
public final class FastCheckView {

    public static final String VERSION = "v1";

    private FastCheckView() {
    }

    /**
     * @param appDir the folder holding quarkus-run.jar; {@code cwd} the working folder;
     *               {@code sysProps} only those that reach the configuration count
     */
    public static List<String> of(Path appDir, Path cwd, Map<String, String> env, Properties sysProps, String user)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(VERSION);
        lines.add("app=" + appDir.toRealPath());
        lines.add("code=" + codeDigest(appDir));
        for (Path file : configFiles(appDir, cwd, env)) {
            lines.add("config=" + (Files.isRegularFile(file) ? digest(file) : "missing " + file));
        }
        new TreeMap<>(env).forEach((name, value) -> {
            if (relevantEnv(name)) {
                lines.add("env " + name + "=" + encode(value));
            }
        });
        new TreeMap<>(sysPropsMap(sysProps)).forEach((name, value) -> {
            if (relevantSysProp(name)) {
                lines.add("sysprop " + name + "=" + encode(value));
            }
        });
        lines.add("user=" + user);
        return lines;
    }

    /** ConfigLoader's files, highest precedence first: working folder's, quarkus.config.locations, app folder's. */
    static List<Path> configFiles(Path appDir, Path cwd, Map<String, String> env) {
        List<Path> files = new ArrayList<>();
        Path cwdConfig = cwd.resolve("config").resolve("application.properties").toAbsolutePath();
        if (Files.isRegularFile(cwdConfig)) {
            files.add(cwdConfig);
        }
        String locations = env.get("QUARKUS_CONFIG_LOCATIONS");
        if (locations != null && !locations.isBlank()) {
            for (String location : locations.split(",")) {
                files.add(cwd.resolve(location.strip()));
            }
        }
        Path appConfig = appDir.resolve("config").resolve("application.properties").toAbsolutePath();
        if (Files.isRegularFile(appConfig) && !appConfig.equals(cwdConfig)) {
            files.add(appConfig);
        }
        return files;
    }

    /**
     * The environment that reaches the kit: its own keys (but for those only the launcher, the agent or the
     * fleet view read), how the configuration is found, LifeKeeper's and HULFT's variables, what the JVM and the
     * commands it runs take from the environment (PATH, locale, time zone, JVM options).
     */
    static boolean relevantEnv(String name) {
        String n = name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        if (n.startsWith("HULFTARK_")) {
            return !(n.equals("HULFTARK_HOME") || n.equals("HULFTARK_JAVA") || n.startsWith("HULFTARK_FAST_")
                    || n.startsWith("HULFTARK_AGENT_") || n.startsWith("HULFTARK_FLEET_")
                    || n.startsWith("HULFTARK_SECURITY_") || n.equals("HULFTARK_ROLE"));
        }
        return n.startsWith("HUL") || n.startsWith("LKHULFT_") || n.startsWith("SMALLRYE_") || n.startsWith("LC_")
                || List.of("QUARKUS_CONFIG_LOCATIONS", "QUARKUS_PROFILE", "LKROOT", "PATH", "LANG", "TZ",
                "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "PROGRAMDATA").contains(n);
    }

    /** The launcher's JVM has none of these (its -D flags are the Quarkus switches only). */
    static boolean relevantSysProp(String name) {
        return (name.startsWith("hulftark.") && !name.startsWith("hulftark.agent.") && !name.startsWith("hulftark.fleet.")
                && !name.startsWith("hulftark.security.") && !name.equals("hulftark.role"))
                || name.equals("quarkus.config.locations") || name.equals("quarkus.profile")
                || name.startsWith("smallrye.config.");
    }

    /** quarkus-run.jar and the jars it loads, each as "path size mtime-seconds": an upgrade changes them. */
    static String codeDigest(Path appDir) throws IOException {
        StringBuilder listing = new StringBuilder();
        entry(listing, appDir, "quarkus-run.jar");
        for (String dir : List.of("app", "quarkus", "lib/main", "lib/boot")) {
            Path folder = appDir.resolve(dir);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                entries.forEach(p -> names.add(p.getFileName().toString()));
            }
            names.sort(null);
            for (String name : names) {
                entry(listing, appDir, dir + "/" + name);
            }
        }
        return sha256(listing.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void entry(StringBuilder listing, Path appDir, String relative) throws IOException {
        Path p = appDir.resolve(relative);
        if (!Files.isRegularFile(p)) {
            return;
        }
        listing.append(relative).append(' ').append(Files.size(p)).append(' ')
                .append(Files.getLastModifiedTime(p).to(TimeUnit.SECONDS)).append('\n');
    }

    static String digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in.readAllBytes());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line per value: %, CR and LF as %XX. */
    static String encode(String value) {
        return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    static String decode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()) {
                out.append((char) Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Map<String, String> sysPropsMap(Properties p) {
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    /** The first input that differs, named without its value (for the launcher's debug line); empty when equal. */
    static String firstDifference(List<String> mine, List<String> theirs) {
        if (mine.equals(theirs)) {
            return "";
        }
        for (String line : theirs) {
            if (!mine.contains(line)) {
                return name(line);
            }
        }
        for (String line : mine) {
            if (!theirs.contains(line)) {
                return name(line);
            }
        }
        return "order of the configuration files";
    }

    private static String name(String line) {
        int eq = line.indexOf('=');
        return eq < 0 ? line : line.substring(0, eq);
    }
}
