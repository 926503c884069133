package io.hulftark.it;

import io.hulftark.cli.SimSettings;
import io.hulftark.sim.SimInstallation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged hulft-ark as a separate process, as LifeKeeper does, against a simulated HULFT. */
final class Cli {

    /** Set by failsafe to target/quarkus-app/quarkus-run.jar. */
    static final Path APP = Path.of(System.getProperty("hulftark.it.app", "target/quarkus-app/quarkus-run.jar"));

    record Result(int exit, String out, String err, long millis) {
        List<String> codes() {
            return err.lines().filter(l -> l.matches("\\d{8} [A-Z]+ .*")).map(l -> l.substring(0, 8)).toList();
        }
    }

    final Map<String, String> properties = new LinkedHashMap<>();
    final Map<String, String> env = new HashMap<>();

    Cli(SimInstallation sim, Path stateDir) {
        properties.putAll(SimSettings.of(sim, stateDir));
        // LifeKeeper's root comes from the environment, as LifeKeeper sets it.
        properties.remove("hulftark.lifekeeper.root");
        env.put("LKROOT", sim.lkroot().toString());
    }

    Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", APP.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("LKROOT");
        pb.environment().putAll(env);
        return pb.start();
    }

    Result run(String... args) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = start(args);
        return finish(p, t0);
    }

    static Result finish(Process p, long t0) throws InterruptedException, IOException {
        // Read both streams fully on their own threads so a chatty child never blocks on a full pipe.
        var out = new java.util.concurrent.CompletableFuture<String>();
        var err = new java.util.concurrent.CompletableFuture<String>();
        new Thread(() -> out.complete(read(p.getInputStream()))).start();
        new Thread(() -> err.complete(read(p.getErrorStream()))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hulft-ark did not end within 120 s");
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        try {
            return new Result(p.exitValue(), out.get(), err.get(), ms);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    void lifeKeeperDefaults(SimInstallation sim, String text) throws IOException {
        Files.writeString(sim.lkDefaultsFile(), text);
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
