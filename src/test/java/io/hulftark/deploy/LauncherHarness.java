package io.hulftark.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a LifeKeeper launcher from deploy/ the way LifeKeeper does, against a stand-in for the JVM:
 * the launcher is copied under a folder {@code !restore} inside a path with blanks, and the stand-in
 * writes its argv (its own path first, NUL-separated) to a file and exits with {@code STANDIN_EXIT}.
 */
final class LauncherHarness {

    /** What the launchers must pass to every one-shot JVM. */
    static final List<String> JVM_FLAGS = List.of(
            "-Dquarkus.http.host-enabled=false",
            "-Dquarkus.scheduler.enabled=false",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xshare:auto");

    private static final String STAND_IN = """
            #!/bin/sh
            { printf '%s\\0' "$0"; for a in "$@"; do printf '%s\\0' "$a"; done; } > "$STANDIN_ARGV"
            [ -n "$STANDIN_SIGNAL" ] && kill -"$STANDIN_SIGNAL" $$
            exit "${STANDIN_EXIT:-0}"
            """;

    record Result(int exitCode, String stderr, List<String> javaArgv) {
    }

    final Path root;
    final Path script;
    final Path app;
    final Path java;
    final Path argvFile;

    /** @param launcher the launcher under deploy/, e.g. {@code deploy/windows/hulft-ark-lk.pl} */
    LauncherHarness(Path tmp, String launcher) throws IOException {
        root = tmp;
        Path source = Path.of(launcher).toAbsolutePath();
        Path actionDir = Files.createDirectories(tmp.resolve("Life Keeper").resolve("!restore"));
        script = actionDir.resolve(source.getFileName());
        Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
        executable(script);
        app = Files.createDirectories(tmp.resolve("Program Files").resolve("hulft-ark"));
        java = standIn(tmp.resolve("java stand-in").resolve("java"));
        argvFile = tmp.resolve("argv");
    }

    /** Writes the JVM stand-in at {@code where} (creating its folder) and returns it. */
    static Path standIn(Path where) throws IOException {
        Files.createDirectories(where.getParent());
        Files.writeString(where, STAND_IN);
        return executable(where);
    }

    /**
     * Runs {@code command} in {@code cwd} with HULFTARK_HOME = {@link #app} and the given extra
     * environment (a null value removes the variable).
     */
    Result run(Path cwd, List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Files.deleteIfExists(argvFile);
        Path stderr = root.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("HULFTARK_") || k.startsWith("STANDIN_"));
        e.put("HULFTARK_HOME", app.toString());
        e.put("HULFTARK_JAVA", java.toString());
        e.put("STANDIN_ARGV", argvFile.toString());
        env.forEach((k, v) -> {
            if (v == null) {
                e.remove(k);
            } else {
                e.put(k, v);
            }
        });
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("launcher did not end within 60 s: " + command);
        }
        List<String> argv = Files.exists(argvFile) ? split(Files.readString(argvFile, StandardCharsets.UTF_8)) : null;
        return new Result(p.exitValue(), Files.readString(stderr), argv);
    }

    /** What the stand-in must have received: {@code -jar APP/quarkus-run.jar lifekeeper --script SCRIPT ARGS}. */
    List<String> expectedArgv(Path javaUsed, List<String> args) {
        List<String> expected = new ArrayList<>();
        expected.add(javaUsed.toString());
        expected.addAll(JVM_FLAGS);
        expected.addAll(List.of("-jar", app.resolve("quarkus-run.jar").toString(),
                "lifekeeper", "--script", script.toString()));
        expected.addAll(args);
        return expected;
    }

    private static List<String> split(String nulSeparated) {
        if (nulSeparated.isEmpty()) {
            return List.of();
        }
        String body = nulSeparated.endsWith("\0") ? nulSeparated.substring(0, nulSeparated.length() - 1) : nulSeparated;
        return Arrays.asList(body.split("\0", -1));
    }

    private static Path executable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
