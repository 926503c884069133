package io.hulftark.agent.fast;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs deploy/linux/hulft-ark-fast (the real Perl client) in a folder with exactly the given environment. */
final class PerlClient {

    static final Path CLIENT = Path.of("deploy/linux/hulft-ark-fast").toAbsolutePath();

    record Result(int exit, String out, String err, long millis) {
    }

    static Result run(Path cwd, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/perl", CLIENT.toString()));
        cmd.addAll(Arrays.asList(args));
        return exec(cwd, env, cmd);
    }

    /** Any Perl script (a launcher) the same way. */
    static Result runPerl(Path cwd, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/perl"));
        cmd.addAll(Arrays.asList(args));
        return exec(cwd, env, cmd);
    }

    /** The client's view() lines for APP, as the launcher would send them. */
    static List<String> view(Path cwd, Map<String, String> env, Path app) throws IOException, InterruptedException {
        Result r = exec(cwd, env, List.of("/usr/bin/perl", "-e",
                "require $ARGV[0]; print join(\"\\n\", HulftArkFast::view($ARGV[1], Cwd::getcwd())), \"\\n\";",
                CLIENT.toString(), app.toString()));
        if (r.exit() != 0) {
            throw new AssertionError("perl view failed: " + r.err());
        }
        return r.out().lines().toList();
    }

    private static Result exec(Path cwd, Map<String, String> env, List<String> cmd)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("fast-out", ".txt");
        Path err = Files.createTempFile("fast-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the client did not end within 30 s");
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), ms);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
