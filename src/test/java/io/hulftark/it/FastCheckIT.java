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

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real launcher (deploy/linux/hulft-ark-lk) registered under !quickCheck, with the packaged agent running:
 * every quickCheck case of the kit answered once by the agent (fast path) and once by the launcher's JVM,
 * with the same exit code and the same output; and each reason not to use the agent falls back to the JVM.
 */
class FastCheckIT {

    static final String TAG = "hulft";
    static final String DEBUG = "hulft-ark-fast: debug: ";

    @TempDir
    static Path dir;
    static SimInstallation sim;
    static AgentProcess agent;
    static Path settings;
    static Path socket;
    static Path script;
    static Path lkCwd;
    static Map<String, String> sharedEnv;
    static String settingsText;
    static String hulenvText;

    record Run(int exit, String out, String err, List<String> debug, long millis) {
    }

    @BeforeAll
    static void startAgent() throws Exception {
        SimSpec.Builder spec = SimSpec.builder().resource(TAG, SimSpec.DEFAULT_SERVICE_NAME);
        for (String key : SimSpec.PORT_KEYS) {
            spec.port(key, AgentProcess.freePort());
        }
        sim = SimInstallation.create(dir.resolve("HULFT Family"), spec.build());
        Properties p = new Properties();
        p.putAll(SimSettings.of(sim, dir.resolve("state")));
        p.remove("hulftark.lifekeeper.root");   // from LKROOT, as LifeKeeper sets it
        p.setProperty("hulftark.probe", "tcp");
        p.setProperty("hulftark.probe-timeout", "2s");
        settings = dir.resolve("site.properties");
        try (OutputStream o = Files.newOutputStream(settings)) {
            p.store(o, "fast check IT");
        }
        settingsText = Files.readString(settings);
        hulenvText = Files.readString(sim.confFile());
        socket = dir.resolve("fast").resolve("check.sock");
        sharedEnv = Map.of("QUARKUS_CONFIG_LOCATIONS", settings.toString(), "LKROOT", sim.lkroot().toString());
        agent = new AgentProcess(Map.of("hulftark.agent.fast-check.socket", socket.toString(),
                "hulftark.agent.tags", TAG, "hulftark.agent.action-mode", "direct",
                "hulftark.agent.check-interval", "1h"), sharedEnv, dir).start();
        Path actionDir = Files.createDirectories(dir.resolve("Life Keeper").resolve("!quickCheck"));
        script = actionDir.resolve("hulft-ark-lk");
        Files.copy(Path.of("deploy/linux/hulft-ark-lk"), script, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        lkCwd = Files.createDirectories(dir.resolve("lk-cwd"));
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
        Files.writeString(sim.lkDefaultsFile(), "");
        Files.writeString(settings, settingsText);
        Files.writeString(sim.confFile(), hulenvText);
    }

    /** The launcher as LifeKeeper runs it; {@code jvm}: with the fast path switched off. */
    static Run launch(boolean jvm, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(lkCwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("HULFTARK_") || k.equals("LKROOT") || k.startsWith("QUARKUS_"));
        e.putAll(sharedEnv);
        e.put("HULFTARK_HOME", Cli.APP.toAbsolutePath().getParent().toString());
        e.put("HULFTARK_JAVA", Cli.javaBin());
        e.put("HULFTARK_FAST_CLIENT", Path.of("deploy/linux/hulft-ark-fast").toAbsolutePath().toString());
        e.put("HULFTARK_FAST_SOCKET", socket.toString());
        e.put("HULFTARK_FAST_DEBUG", "1");
        if (jvm) {
            e.put("HULFTARK_FAST_CHECK", "0");
        }
        extraEnv.forEach((k, v) -> {
            if (v == null) {
                e.remove(k);
            } else {
                e.put(k, v);
            }
        });
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not end within 120 s");
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String errText = Files.readString(err, StandardCharsets.UTF_8);
        List<String> debug = errText.lines().filter(l -> l.startsWith(DEBUG)).toList();
        String rest = String.join("", errText.lines().filter(l -> !l.startsWith(DEBUG)).map(l -> l + "\n").toList());
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), rest, debug, ms);
    }

    static void service(String command) throws Exception {
        Process p = new ProcessBuilder(sim.utlsvcctl().toString(), "-c", command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    static int port(String key) {
        return sim.ports().get(key);
    }

    /** The kit's quickCheck cases. */
    enum Scenario {
        RUNNING(0) {
            void arrange() throws Exception {
                service("start");
            }
        },
        STOPPED(1) {
            void arrange() throws Exception {
                service("stop");
            }
        },
        A_PORT_REFUSED(1) {
            void arrange() throws Exception {
                service("start");
                Files.writeString(sim.lkDefaultsFile(), "LKHULFT_RETRIES=0\n");
                sim.fault(Fault.REFUSE_PORT, Integer.toString(port("obsport")));
            }
        },
        RETRIES(1) {
            void arrange() throws Exception {
                service("start");
                Files.writeString(sim.lkDefaultsFile(), "LKHULFT_RETRIES=2\n");
                sim.fault(Fault.REFUSE_PORT, Integer.toString(port("rcvport")));
            }
        },
        BAD_HULENV(1) {
            void arrange() throws Exception {
                service("start");
                Files.writeString(sim.lkDefaultsFile(), "LKHULFT_RETRIES=0\n");
                Files.writeString(sim.confFile(), Files.readString(sim.confFile()).replaceFirst("rcvport=\\d+",
                        "rcvport=30x00"));
            }
        },
        UNKNOWN_TAG(0, "-t", "no-such-tag", "-i", "id") {
            void arrange() throws Exception {
                service("start");
            }
        },
        BAD_DEFAULTS_FILE(0) {
            void arrange() throws Exception {
                service("start");
                Files.writeString(sim.lkDefaultsFile(), "LKHULFT_RETRIES=many\n");
            }
        },
        A_COMMAND_TIMES_OUT(1) {
            void arrange() throws Exception {
                service("start");
                Files.writeString(sim.lkDefaultsFile(), "LKHULFT_RETRIES=0\n");
                Files.writeString(settings, settingsText + "hulftark.command-timeout=1ms\n");
            }
        },
        USAGE_ERROR(2, "-i", "id");

        final int exit;
        final String[] args;

        Scenario(int exit, String... args) {
            this.exit = exit;
            this.args = args.length == 0 ? new String[] {"-t", TAG, "-i", "id"} : args;
        }

        void arrange() throws Exception {
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Scenario.class)
    void theAgentAnswersAsTheJvmWould(Scenario scenario) throws Exception {
        scenario.arrange();
        Run fast = launch(false, Map.of(), scenario.args);
        Run jvm = launch(true, Map.of(), scenario.args);
        assertThat(fast.debug()).as(fast.err() + Files.readString(agent.log))
                .containsExactly(DEBUG + "lifekeeper answered by the node agent (fast path)");
        assertThat(jvm.debug()).singleElement().asString().contains("HULFTARK_FAST_CHECK=0");
        assertThat(jvm.exit()).as(jvm.err()).isEqualTo(scenario.exit);
        assertThat(fast.exit()).isEqualTo(jvm.exit());
        assertThat(fast.err()).isEqualTo(jvm.err());
        assertThat(fast.out()).isEqualTo(jvm.out());
        if (scenario.exit == 1) {
            assertThat(jvm.err()).isNotEmpty();
        }
    }

    @Test
    void anotherConfigurationIsAnsweredByTheJvm() throws Exception {
        service("stop");
        Run r = launch(false, Map.of("HULFTARK_PROBE_TIMEOUT", "3s"), "-t", TAG, "-i", "id");
        assertThat(r.debug()).singleElement().asString()
                .contains("by a JVM").contains("env HULFTARK_PROBE_TIMEOUT differs");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("51050005 ERROR HULFT8 Service is not running");
    }

    @Test
    void aSettingsFileChangedSinceTheAgentStartedIsReadFreshByBoth() throws Exception {
        service("start");
        Files.writeString(settings, settingsText + "hulftark.debug=true\n");
        Run fast = launch(false, Map.of(), "-t", TAG, "-i", "id");
        Run jvm = launch(true, Map.of(), "-t", TAG, "-i", "id");
        assertThat(fast.debug()).containsExactly(DEBUG + "lifekeeper answered by the node agent (fast path)");
        // Equal but for the times the kit measures (the agent's warm JVM probes a port in 0 ms).
        assertThat(fast.err()).contains(" DEBUG ");
        assertThat(fast.err().replaceAll("in \\d+ ms", "in N ms")).isEqualTo(jvm.err().replaceAll("in \\d+ ms", "in N ms"));
        assertThat(fast.exit()).isZero().isEqualTo(jvm.exit());
    }

    @Test
    void noAgentOnTheSocketIsAnsweredByTheJvm() throws Exception {
        service("start");
        Run r = launch(false, Map.of("HULFTARK_FAST_SOCKET", dir.resolve("fast").resolve("none.sock").toString()),
                "-t", TAG, "-i", "id");
        assertThat(r.debug()).singleElement().asString().contains("by a JVM").contains("none.sock");
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void aSocketOthersCouldReachIsNotUsed() throws Exception {
        service("start");
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        try {
            Run r = launch(false, Map.of(), "-t", TAG, "-i", "id");
            assertThat(r.debug()).singleElement().asString().contains("by a JVM").contains("not 0600");
            assertThat(r.exit()).as(r.err()).isZero();
        } finally {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void aHungAgentIsLeftAfterOneSecondAndTheJvmAnswers() throws Exception {
        service("stop");
        Path hungDir = Files.createDirectories(dir.resolve("hung"));
        Files.setPosixFilePermissions(hungDir, PosixFilePermissions.fromString("rwx------"));
        Path hungSocket = hungDir.resolve("check.sock");
        try (ServerSocketChannel hung = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            hung.bind(UnixDomainSocketAddress.of(hungSocket));
            Files.setPosixFilePermissions(hungSocket, PosixFilePermissions.fromString("rw-------"));
            List<SocketChannel> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    held.add(hung.accept());   // accepts, reads nothing, answers nothing
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.start();
            Run jvmAlone = launch(true, Map.of(), "-t", TAG, "-i", "id");
            Run r = launch(false, Map.of("HULFTARK_FAST_SOCKET", hungSocket.toString()), "-t", TAG, "-i", "id");
            assertThat(r.debug()).singleElement().asString().contains("no answer within 1 s");
            assertThat(r.exit()).isEqualTo(1).isEqualTo(jvmAlone.exit());
            assertThat(r.err()).isEqualTo(jvmAlone.err());
            // One second of waiting on top of the JVM's own time (with room for a loaded machine).
            assertThat(r.millis()).isLessThan(jvmAlone.millis() + 1_000 + 3_000);
            acceptor.join(1000);
            for (SocketChannel c : held) {
                c.close();
            }
        }
    }

    @Test
    void theAgentsOwnChecksAndTheFastPathShareTheLockWithoutHarm() throws Exception {
        service("start");
        Map<String, String> none = new HashMap<>();
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(launch(false, none, "-t", TAG, "-i", "id"));
        }
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.exit()).isZero();
            assertThat(r.debug()).containsExactly(DEBUG + "lifekeeper answered by the node agent (fast path)");
        });
    }
}
