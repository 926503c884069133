package io.hulftark.lifekeeper;

import io.hulftark.kit.KitParameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * LKHULFT_TIMEOUT, LKHULFT_RETRIES and LKHULFT_FORCE_REMOVE from LifeKeeper's defaults file
 * ({@code $LKROOT/etc/default/LifeKeeper}, {@code NAME=value} lines). LifeKeeper sources it like a
 * shell file, so the last assignment wins, {@code #} starts a comment line, and a value may be
 * quoted. A bad value falls back to the default with a warning rather than failing a failover.
 */
public record LifeKeeperDefaults(int retries, Duration timeout, boolean forceRemove, List<String> warnings) {

    /** LifeKeeper's defaults file is small; anything much larger is not it. */
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    public static LifeKeeperDefaults builtIn() {
        return new LifeKeeperDefaults(KitParameters.DEFAULT_RETRIES, KitParameters.DEFAULT_TIMEOUT,
                KitParameters.DEFAULT_FORCE_REMOVE, List.of());
    }

    public static Path file(Path lkroot) {
        return lkroot.resolve("etc").resolve("default").resolve("LifeKeeper");
    }

    /** LifeKeeper for Linux keeps its defaults here rather than under $LKROOT. */
    static final Path LINUX_FILE = Path.of("/etc/default/LifeKeeper");

    /**
     * Which defaults file applies: the configured one; else {@code $LKROOT/etc/default/LifeKeeper}
     * (LifeKeeper for Windows) when it exists; else {@code /etc/default/LifeKeeper} (LifeKeeper for
     * Linux) when it exists; else the one under LKROOT, whose absence is then reported.
     */
    public static Optional<Path> locate(Optional<Path> configured, Optional<Path> lkroot, boolean windows) {
        if (configured.isPresent()) {
            return configured;
        }
        Optional<Path> underRoot = lkroot.map(LifeKeeperDefaults::file);
        if (underRoot.isPresent() && Files.exists(underRoot.get())) {
            return underRoot;
        }
        if (!windows && Files.exists(LINUX_FILE)) {
            return Optional.of(LINUX_FILE);
        }
        return underRoot;
    }

    /** Reads the file; a missing or unreadable file gives the defaults and one warning. */
    public static LifeKeeperDefaults read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return withWarning("LifeKeeper defaults file " + file + " does not exist; using the defaults of LKHULFT_*");
        } catch (IOException e) {
            return withWarning("Cannot read " + file + " (" + e.getMessage() + "); using the defaults of LKHULFT_*");
        }
        if (bytes.length > MAX_BYTES) {
            return withWarning(file + " is larger than 4 MiB; using the defaults of LKHULFT_*");
        }
        // ISO-8859-1 maps every byte, so Japanese comments can never make the file unreadable.
        return parse(new String(bytes, StandardCharsets.ISO_8859_1), file.toString());
    }

    static LifeKeeperDefaults parse(String text, String source) {
        List<String> warnings = new ArrayList<>();
        int retries = KitParameters.DEFAULT_RETRIES;
        Duration timeout = KitParameters.DEFAULT_TIMEOUT;
        boolean force = KitParameters.DEFAULT_FORCE_REMOVE;
        int lineNo = 0;
        for (String raw : text.split("\r?\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq < 0) {
                continue;
            }
            String name = line.substring(0, eq).strip();
            String value = unquote(line.substring(eq + 1).strip());
            String where = source + " line " + lineNo;
            switch (name) {
                case "LKHULFT_RETRIES" -> retries = number(value, 0, 100).map(Long::intValue).orElseGet(() -> {
                    warnings.add(bad(where, name, value, "a whole number from 0 to 100", KitParameters.DEFAULT_RETRIES));
                    return KitParameters.DEFAULT_RETRIES;
                });
                case "LKHULFT_TIMEOUT" -> timeout = number(value, 1, 86_400).map(Duration::ofSeconds).orElseGet(() -> {
                    warnings.add(bad(where, name, value, "seconds from 1 to 86400",
                            KitParameters.DEFAULT_TIMEOUT.toSeconds()));
                    return KitParameters.DEFAULT_TIMEOUT;
                });
                case "LKHULFT_FORCE_REMOVE" -> {
                    if (value.equals("0") || value.equals("1")) {
                        force = value.equals("1");
                    } else {
                        warnings.add(bad(where, name, value, "0 or 1", KitParameters.DEFAULT_FORCE_REMOVE ? 1 : 0));
                        force = KitParameters.DEFAULT_FORCE_REMOVE;
                    }
                }
                default -> { }
            }
        }
        return new LifeKeeperDefaults(retries, timeout, force, List.copyOf(warnings));
    }

    private static LifeKeeperDefaults withWarning(String warning) {
        LifeKeeperDefaults d = builtIn();
        return new LifeKeeperDefaults(d.retries, d.timeout, d.forceRemove, List.of(warning));
    }

    private static String bad(String where, String name, String value, String expected, Object fallback) {
        return where + ": " + name + "=" + printable(value) + " is not " + expected + "; using " + fallback;
    }

    private static Optional<Long> number(String value, long min, long max) {
        if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        long n = Long.parseLong(value);
        return n >= min && n <= max ? Optional.of(n) : Optional.empty();
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1).strip();
        }
        return v;
    }

    /** Keeps a hostile value from spilling control characters or pages of text into a log line. */
    static String printable(String v) {
        StringBuilder b = new StringBuilder();
        for (char c : v.toCharArray()) {
            if (b.length() >= 40) {
                return "\"" + b + "...\"";
            }
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return "\"" + b + "\"";
    }
}
