package io.hulftark.deploy;

import io.hulftark.cli.SimSettings;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standard's own tester: Debian's ocf-tester (resource-agents) runs the installed OCF agent
 * (deploy/linux/ocf/hulft-ark, launching the packaged app) through meta-data, validate-all, probes,
 * start, double start, stop, double stop and the optional actions, against a simulated HULFT, and
 * passes without one warning.
 */
class OcfTesterIT {

    static final Path APP = Path.of(System.getProperty("hulftark.it.app", "target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath();

    @TempDir
    Path tmp;
    SimInstallation sim;

    @AfterEach
    void cleanUp() {
        if (sim != null) {
            sim.stopNow();
        }
    }

    @Test
    void ocfTesterPassesWithNoWarning() throws Exception {
        assertThat(Files.isExecutable(Path.of("/usr/sbin/ocf-tester"))).as("resource-agents is installed (.ci/run)")
                .isTrue();
        // Only as root does ocf-tester check that the agent runs as nobody; otherwise it warns.
        assertThat(System.getProperty("user.name")).as("ocf-tester runs as root in CI").isEqualTo("root");
        // ocf-tester runs meta-data as nobody, who must reach the agent; it also takes the path unquoted.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(tmp.toString()).doesNotContain(" ");
        Path agent = tmp.resolve("resource.d").resolve("hulft-ark").resolve("hulft-ark");
        Files.createDirectories(agent.getParent());
        Files.copy(Path.of("deploy/linux/ocf/hulft-ark"), agent);
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));

        sim = SimInstallation.create(tmp.resolve("hulft"), SimSpec.builder()
                .port("rcvport", freePort()).port("obsport", freePort()).port("sddport", freePort())
                .startType("demand").build());

        List<String> command = new ArrayList<>(List.of("/usr/sbin/ocf-tester", "-v", "-n", "hulft",
                "-o", "service=" + sim.serviceName(),
                "-o", "exe_path=" + sim.binDir(),
                "-o", "conf_file=" + sim.confFile(),
                agent.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("HULFTARK_") || k.startsWith("OCF_"));
        env.put("HULFTARK_HOME", APP.getParent().toString());
        env.put("HULFTARK_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The node's own settings (platform, state folder) as a site sets them, here through the environment.
        SimSettings.of(sim, tmp.resolve("state")).forEach((k, v) -> {
            if (!k.equals("hulftark.exe-path") && !k.equals("hulftark.conf-file")) {
                env.put(k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), v);
            }
        });
        Path output = tmp.resolve("ocf-tester.out");
        pb.redirectOutput(output.toFile());

        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ocf-tester did not end within 600 s: " + Files.readString(output));
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).contains(agent + " passed all tests");
        assertThat(out.lines().filter(l -> l.toLowerCase(Locale.ROOT).contains("warn")).toList()).as(out).isEmpty();
        assertThat(out).as("no agent wrote a stack trace").doesNotContain("Exception");
        assertThat(sim.isRunning()).as("the last action was a stop").isFalse();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
