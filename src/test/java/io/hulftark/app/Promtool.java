package io.hulftark.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Prometheus's own checker, {@code promtool check metrics} (Debian's {@code prometheus}; .ci/run installs it). */
public final class Promtool {

    private Promtool() {
    }

    /** @return what promtool says of {@code exposition} (errors and lint problems), empty when it passes */
    public static String check(String exposition) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool did not end within 30 s");
        }
        if (p.exitValue() != 0 && out.isEmpty()) {
            out = "promtool exited with " + p.exitValue();
        }
        return out;
    }
}
