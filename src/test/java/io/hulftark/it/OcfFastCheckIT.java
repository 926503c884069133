package io.hulftark.it;

import io.hulftark.cli.SimSettings;
import io.hulftark.sim.Fault;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real OCF agent (deploy/linux/ocf/hulft-ark) as Pacemaker runs it, with the packaged node agent running:
 * each OCF code of monitor answered once by the node agent (fast path, this call's OCF_RESKEY_* sent along) and
 * once by the script's JVM, with the same exit code, stdout and stderr; an agent that is down leaves the answer
 * to the JVM; and Debian's ocf-tester passes with the fast path answering its monitors.
 */
class OcfFastCheckIT {

    static final String RESOURCE = "hulft";
    static final String DEBUG = "hulft-ark-fast: debug: ";
    static final String FAST = DEBUG + "ocf answered by the node agent (fast path)";

    @TempDir
    static Path dir;
    static SimInstallation sim;
    static AgentProcess agent;
    static Path settings;
    static Path socket;
    static Path script;
    static Path cwd;
    static Map<String, String> sharedEnv;
    static String settingsText;

    record Run(int exit, String out, String err, List<String> debug) {
    }

    @BeforeAll
    static void startAgent() throws Exception {
        SimSpec.Builder spec = SimSpec.builder().resource(RESOURCE, SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AgentProcess.freePort());
        }
        sim = SimInstallation.create(dir.resolve("hulft"), spec.startType("demand").build());
        Properties p = new Properties();
        p.putAll(SimSettings.of(sim, dir.resolve("state")));
        p.remove("hulftark.exe-path");
        p.remove("hulftark.conf-file");
        settings = dir.resolve("site.properties");
        try (OutputStream o = Files.newOutputStream(settings)) {
            p.store(o, "OCF fast check IT");
        }
        settingsText = Files.readString(settings);
        socket = dir.resolve("fast").resolve("check.sock");
        sharedEnv = Map.of("QUARKUS_CONFIG_LOCATIONS", settings.toString());
        agent = new AgentProcess(Map.of("hulftark.agent.fast-check.socket", socket.toString(),
                "hulftark.agent.tags", RESOURCE, "hulftark.agent.action-mode", "direct",
                "hulftark.agent.check-interval", "1h"), sharedEnv, dir).start();
        // Installed as Pacemaker finds it; ocf-tester runs meta-data as nobody, who must reach it.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        script = dir.resolve("resource.d").resolve("hulft-ark").resolve("hulft-ark");
        Files.createDirectories(script.getParent());
        Files.copy(Path.of("deploy/linux/ocf/hulft-ark"), script, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        cwd = Files.createDirectories(dir.resolve("pacemaker-cwd"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(socket).as(Files.readString(agent.log)).exists();
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (agent != null) {
            agent.stop();
        }
        if (sim != null) {
            sim.stopNow();
        }
    }

    @BeforeEach
    void reset() throws Exception {
        sim.clearFaults();
        Files.writeString(settings, settingsText);
    }

    /** What Pacemaker sets for a monitor of the resource. */
    static Map<String, String> ocfEnv() {
        Map<String, String> e = new HashMap<>();
        e.put("OCF_ROOT", "/usr/lib/ocf");
        e.put("OCF_RESOURCE_INSTANCE", RESOURCE);
        e.put("OCF_RESKEY_service", sim.serviceName());
        e.put("OCF_RESKEY_exe_path", sim.binDir().toString());
        e.put("OCF_RESKEY_conf_file", sim.confFile().toString());
        e.put("OCF_RESKEY_probe", "tcp");
        e.put("OCF_RESKEY_probe_timeout", "2");
        e.put("OCF_RESKEY_retries", "0");
        e.put("OCF_RESKEY_CRM_meta_timeout", "20000");
        e.put("OCF_RESKEY_CRM_meta_interval", "10000");
        return e;
    }

    /** The OCF agent as Pacemaker runs it; {@code jvm}: with the fast path switched off. */
    static Run monitor(boolean jvm, Map<String, String> ocf, Map<String, String> extraEnv) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "monitor").directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("HULFTARK_") || k.equals("LKROOT") || k.startsWith("QUARKUS_")
                || k.startsWith("OCF_") || k.startsWith("HA_"));
        e.putAll(sharedEnv);
        e.putAll(ocf);
        e.put("HULFTARK_HOME", Cli.APP.toAbsolutePath().getParent().toString());
        e.put("HULFTARK_JAVA", Cli.javaBin());
        e.put("HULFTARK_FAST_CLIENT", Path.of("deploy/linux/hulft-ark-fast").toAbsolutePath().toString());
        e.put("HULFTARK_FAST_SOCKET", socket.toString());
        e.put("HULFTARK_FAST_DEBUG", "1");
        if (jvm) {
            e.put("HULFTARK_FAST_CHECK", "0");
        }
        e.putAll(extraEnv);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the OCF agent did not end within 120 s");
        }
        String errText = Files.readString(err, StandardCharsets.UTF_8);
        List<String> debug = errText.lines().filter(l -> l.startsWith(DEBUG)).toList();
        String rest = String.join("", errText.lines().filter(l -> !l.startsWith(DEBUG)).map(l -> l + "\n").toList());
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), rest, debug);
    }

    static void service(String command) throws Exception {
        Process p = new ProcessBuilder(sim.utlsvcctl().toString(), "-c", command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    /** monitor's OCF codes, each with what it must say on stderr ("" = nothing). */
    enum Scenario {
        RUNNING(0, "") {
            void arrange(Map<String, String> ocf) throws Exception {
                service("start");
            }
        },
        STOPPED(7, "") {
            void arrange(Map<String, String> ocf) throws Exception {
                service("stop");
            }
        },
        A_PORT_REFUSED(1, "51050007 ERROR Failed to check the port used by HULFT8 Service (port = ") {
            void arrange(Map<String, String> ocf) throws Exception {
                service("start");
                sim.fault(Fault.REFUSE_PORT, Integer.toString(sim.ports().get("obsport")));
            }
        },
        A_REQUIRED_PARAMETER_MISSING(6, "51050120 ERROR OCF_RESKEY_conf_file is not set") {
            void arrange(Map<String, String> ocf) {
                ocf.remove("OCF_RESKEY_conf_file");
            }
        },
        A_BAD_PARAMETER(6, "51050120 ERROR OCF_RESKEY_retries=\"lots\": must be a whole number from 0 to 100") {
            void arrange(Map<String, String> ocf) {
                ocf.put("OCF_RESKEY_retries", "lots");
            }
        },
        A_BAD_PACEMAKER_TIMEOUT(6, "51050120 ERROR OCF_RESKEY_CRM_meta_timeout=\"soon\"") {
            void arrange(Map<String, String> ocf) {
                ocf.put("OCF_RESKEY_CRM_meta_timeout", "soon");
            }
        },
        A_SERVICE_NOT_INSTALLED(5, "51050109 ERROR no such service is not installed on this node") {
            void arrange(Map<String, String> ocf) {
                ocf.put("OCF_RESKEY_service", "no such service");
            }
        },
        THIS_NODES_CONFIGURATION_WRONG(5, "hulft-ark ocf: configuration error") {
            void arrange(Map<String, String> ocf) throws Exception {
                // Read afresh by both: the agent's view holds the file's digest, so it answers, and reads it too.
                Files.writeString(settings, settingsText + "hulftark.probe=ping\n");
            }
        },
        DEBUG_FROM_PACEMAKER(0, " DEBUG ") {
            void arrange(Map<String, String> ocf) throws Exception {
                service("start");
                ocf.put("HA_debug", "1");
            }
        };

        final int exit;
        final String stderr;

        Scenario(int exit, String stderr) {
            this.exit = exit;
            this.stderr = stderr;
        }

        abstract void arrange(Map<String, String> ocf) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Scenario.class)
    void theNodeAgentAnswersMonitorAsTheJvmWould(Scenario scenario) throws Exception {
        Map<String, String> ocf = ocfEnv();
        scenario.arrange(ocf);
        Run fast = monitor(false, ocf, Map.of());
        Run jvm = monitor(true, ocf, Map.of());
        assertThat(fast.debug()).as(fast.err() + Files.readString(agent.log)).containsExactly(FAST);
        assertThat(jvm.debug()).singleElement().asString().contains("HULFTARK_FAST_CHECK=0");
        assertThat(jvm.exit()).as(jvm.err()).isEqualTo(scenario.exit);
        assertThat(fast.exit()).isEqualTo(jvm.exit());
        // The kit's debug lines say how long a probe took: equal but for those figures.
        assertThat(fast.err().replaceAll("in \\d+ ms", "in N ms")).isEqualTo(jvm.err().replaceAll("in \\d+ ms", "in N ms"));
        assertThat(fast.out()).isEqualTo(jvm.out());
        if (scenario.stderr.isEmpty()) {
            assertThat(jvm.err()).isEmpty();
        } else {
            assertThat(jvm.err()).contains(scenario.stderr);
        }
    }

    @Test
    void noOtherActionAsksTheAgent() throws Exception {
        service("stop");
        Path out = Files.createTempFile(dir, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "validate-all").directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("HULFTARK_") || k.startsWith("QUARKUS_") || k.startsWith("OCF_"));
        e.putAll(sharedEnv);
        e.putAll(ocfEnv());
        e.put("HULFTARK_HOME", Cli.APP.toAbsolutePath().getParent().toString());
        e.put("HULFTARK_JAVA", Cli.javaBin());
        e.put("HULFTARK_FAST_CLIENT", Path.of("deploy/linux/hulft-ark-fast").toAbsolutePath().toString());
        e.put("HULFTARK_FAST_SOCKET", socket.toString());
        e.put("HULFTARK_FAST_DEBUG", "1");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(out)).doesNotContain(DEBUG);
    }

    @Test
    void anAgentThatIsDownLeavesTheAnswerToTheJvm() throws Exception {
        service("start");
        // What a killed agent leaves behind: its socket, with nobody listening.
        Path deadDir = Files.createDirectories(dir.resolve("dead"));
        Files.setPosixFilePermissions(deadDir, PosixFilePermissions.fromString("rwx------"));
        Path dead = deadDir.resolve("check.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(dead));
        }
        Files.setPosixFilePermissions(dead, PosixFilePermissions.fromString("rw-------"));
        for (int expected : new int[] {0, 7}) {
            if (expected == 7) {
                service("stop");
            }
            Run r = monitor(false, ocfEnv(), Map.of("HULFTARK_FAST_SOCKET", dead.toString()));
            assertThat(r.debug()).singleElement().asString().contains("ocf by a JVM").contains("cannot connect");
            assertThat(r.exit()).as(r.err()).isEqualTo(expected);
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void anAgentWhoseSocketFolderCannotBeMadeRunsWithoutTheFastPathAndSaysSoOnce() throws Exception {
        Path other = Files.createDirectories(dir.resolve("agent-without-fast-path"));
        Path notAFolder = Files.writeString(other.resolve("a-file"), "not a folder");
        try (AgentProcess second = new AgentProcess(Map.of("hulftark.agent.fast-check.socket",
                notAFolder.resolve("fast").resolve("check.sock").toString(), "hulftark.agent.tags", RESOURCE,
                "hulftark.agent.check-interval", "1h"), sharedEnv, other).start()) {
            assertThat(second.manage("/q/health/live").statusCode()).isEqualTo(200);
            List<String> lines = Files.readAllLines(second.log).stream().filter(l -> l.contains("fast check")).toList();
            assertThat(lines).as(Files.readString(second.log)).singleElement().asString().contains("fast check off: ");
        }
    }

    @Test
    void ocfTesterPassesWithTheFastPathAnsweringItsMonitors() throws Exception {
        assertThat(Files.isExecutable(Path.of("/usr/sbin/ocf-tester"))).as("resource-agents is installed (.ci/run)")
                .isTrue();
        assertThat(System.getProperty("user.name")).as("ocf-tester runs as root in CI").isEqualTo("root");
        assertThat(dir.toString()).doesNotContain(" ");
        service("stop");
        // The real client, counting which path answered each monitor (its debug line would reach ocf-tester's output).
        Path answers = dir.resolve("answers.txt");
        Path counting = dir.resolve("counting-client");
        Files.writeString(counting, """
                require $ENV{FAST_REAL_CLIENT};
                my $code = HulftArkFast::ask(@ARGV);
                open my $f, '>>', $ENV{FAST_ANSWERS} or die "answers: $!";
                print $f (defined $code ? "fast $code" : 'jvm'), "\\n";
                close $f;
                exit(defined $code ? $code : $HulftArkFast::FALLBACK);
                """);
        List<String> command = new ArrayList<>(List.of("/usr/sbin/ocf-tester", "-v", "-n", RESOURCE,
                "-o", "service=" + sim.serviceName(),
                "-o", "exe_path=" + sim.binDir(),
                "-o", "conf_file=" + sim.confFile(),
                script.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("HULFTARK_") || k.startsWith("OCF_") || k.startsWith("QUARKUS_")
                || k.equals("LKROOT") || k.startsWith("HA_"));
        env.putAll(sharedEnv);
        env.put("HULFTARK_HOME", Cli.APP.toAbsolutePath().getParent().toString());
        env.put("HULFTARK_JAVA", Cli.javaBin());
        env.put("HULFTARK_FAST_CLIENT", counting.toString());
        env.put("HULFTARK_FAST_SOCKET", socket.toString());
        env.put("FAST_REAL_CLIENT", Path.of("deploy/linux/hulft-ark-fast").toAbsolutePath().toString());
        env.put("FAST_ANSWERS", answers.toString());
        Path output = dir.resolve("ocf-tester.out");
        pb.redirectOutput(output.toFile());

        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ocf-tester did not end within 600 s: " + Files.readString(output));
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).contains(script + " passed all tests");
        assertThat(out.lines().filter(l -> l.toLowerCase(Locale.ROOT).contains("warn")).toList()).as(out).isEmpty();
        assertThat(out).as("no agent wrote a stack trace").doesNotContain("Exception");
        List<String> paths = Files.readAllLines(answers);
        assertThat(paths).as("every monitor of ocf-tester answered by the node agent").isNotEmpty()
                .allMatch(l -> l.startsWith("fast "));
        assertThat(paths).contains("fast 0", "fast 7");
        assertThat(sim.isRunning()).as("the last action was a stop").isFalse();
    }
}
