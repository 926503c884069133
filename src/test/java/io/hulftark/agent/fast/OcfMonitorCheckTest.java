package io.hulftark.agent.fast;

import io.hulftark.http.security.FileGuard;
import io.hulftark.cli.Cli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OCF agent's monitor as a fast check: monitor only, Pacemaker's per-call variables exactly as the launcher
 * sent them (never the agent's own), the same command as the JVM's, and the real Perl client sending them.
 */
class OcfMonitorCheckTest {

    @TempDir
    Path dir;
    FastCheckServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    OcfMonitorCheck check(Map<String, String> agentEnv) {
        return new OcfMonitorCheck(() -> agentEnv, dir);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"start", "stop", "validate-all", "reload", "meta-data", "monitor --x", ""})
    void onlyMonitorIsAnswered(String args) {
        List<String> argv = args.isEmpty() ? List.of() : List.of(args.split(" "));
        assertThat(check(Map.of()).refuse(argv, Map.of(), dir))
                .contains("only the OCF action monitor is answered by the agent");
    }

    @Test
    void onlyTheVariablesTheMonitorReadsArePassedAndOnlyAsUtf8() {
        OcfMonitorCheck c = check(Map.of());
        assertThat(c.refuse(List.of("monitor"), Map.of("OCF_RESKEY_service", "hulft8", "OCF_RESOURCE_INSTANCE",
                "hulft", "HA_debug", "1", "OCF_RESKEY_CRM_meta_timeout", "20000"), dir)).isEmpty();
        assertThat(c.refuse(List.of("monitor"), Map.of("HULFTARK_PROBE", "tcp"), dir))
                .contains("setenv HULFTARK_PROBE is not an OCF variable the monitor reads");
        assertThat(c.refuse(List.of("monitor"), Map.of("PATH", "/tmp"), dir)).isPresent();
        assertThat(c.refuse(List.of("monitor"), Map.of("OCF_RESKEY_service", "hulft\uFFFD"), dir))
                .contains("setenv OCF_RESKEY_service is not UTF-8");
    }

    @Test
    void theLifeKeeperCheckTakesNoPerCallEnvironment() {
        LifeKeeperCheck lk = new LifeKeeperCheck(Map::of, dir);
        assertThat(lk.refuse(List.of("--script", "/x/!quickCheck/s"), Map.of("OCF_RESKEY_service", "x"), dir))
                .contains("this check takes no per-call environment");
    }

    @Test
    void theLaunchersVariablesReplaceTheAgentsOwn() {
        OcfMonitorCheck c = check(Map.of("PATH", "/bin", "OCF_RESKEY_service", "agents", "HA_debug", "1",
                "OCF_RESKEY_stale", "x"));
        assertThat(c.merged(Map.of("OCF_RESKEY_service", "launchers")))
                .isEqualTo(Map.of("PATH", "/bin", "OCF_RESKEY_service", "launchers"));
    }

    @Test
    void theBoundIsPacemakersOperationTimeout() {
        Map<String, String> good = Map.of("OCF_RESKEY_service", "hulft8", "OCF_RESKEY_exe_path", "/h/bin",
                "OCF_RESKEY_conf_file", "/h/etc/hulenv.cnf", "OCF_RESOURCE_INSTANCE", "hulft");
        Map<String, String> timed = new HashMap<>(good);
        timed.put("OCF_RESKEY_CRM_meta_timeout", "60000");
        assertThat(check(Map.of()).bound(List.of("monitor"), timed)).isEqualTo(Duration.ofSeconds(60));
        assertThat(check(Map.of()).bound(List.of("monitor"), Map.of())).isEqualTo(LifeKeeperCheck.MARGIN);
    }

    /** A wrong or missing parameter: the same code and line as the JVM's command, whatever the agent has itself. */
    @Test
    void runsTheJvmsOwnCommandWithThePassedVariables() {
        Map<String, String> agentEnv = new HashMap<>(System.getenv());
        agentEnv.put("OCF_RESKEY_retries", "7");   // the agent's own: must not be seen
        Map<String, String> callEnv = Map.of("OCF_RESKEY_service", "hulft8", "OCF_RESKEY_exe_path", "relative/bin",
                "OCF_RESKEY_conf_file", "/h/etc/hulenv.cnf", "OCF_RESOURCE_INSTANCE", "hulft");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = check(agentEnv).run(List.of("monitor"), callEnv, new PrintWriter(out, true),
                new PrintWriter(err, true));

        Map<String, String> jvmEnv = new HashMap<>(System.getenv());
        jvmEnv.keySet().removeIf(OcfMonitorCheck::passed);
        jvmEnv.putAll(callEnv);
        StringWriter jvmOut = new StringWriter();
        StringWriter jvmErr = new StringWriter();
        int jvm = Cli.execute(new String[] {"ocf", "monitor"}, new PrintWriter(jvmOut, true),
                new PrintWriter(jvmErr, true), jvmEnv);
        assertThat(code).as(err.toString()).isEqualTo(jvm).isEqualTo(6);
        assertThat(err.toString()).isEqualTo(jvmErr.toString()).contains("OCF_RESKEY_exe_path=\"relative/bin\"");
        assertThat(out.toString()).isEqualTo(jvmOut.toString());
    }

    /** The real client sends this call's OCF variables (any bytes), the view stays the agent's, the check gets them. */
    @Test
    void thePerlClientSendsExactlyThisCallsOcfVariables() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("quarkus-run.jar"), "runner");
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        Path socket = dir.resolve("fast/check.sock");
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HULFTARK_FAST_SOCKET",
                socket.toString()));
        Map<String, String> agentEnv = Map.copyOf(env);
        List<Map<String, String>> seen = new ArrayList<>();
        FastCheck recorder = new FastCheck() {
            @Override
            public Optional<String> refuse(List<String> args, Path clientCwd) {
                return Optional.empty();
            }

            @Override
            public Optional<String> refuse(List<String> args, Map<String, String> callEnv, Path clientCwd) {
                return Optional.empty();
            }

            @Override
            public Duration bound(List<String> args) {
                return Duration.ofSeconds(5);
            }

            @Override
            public int run(List<String> args, PrintWriter out, PrintWriter err) {
                throw new AssertionError("the per-call environment was dropped");
            }

            @Override
            public int run(List<String> args, Map<String, String> callEnv, PrintWriter out, PrintWriter err) {
                seen.add(callEnv);
                return 7;
            }
        };
        server = FastCheckServer.start(new FastCheckServer.Unix(socket), Map.of("ocf", recorder), () -> {
            try {
                return FastCheckView.of(app, cwd, agentEnv, new Properties(), System.getProperty("user.name"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, 2, Duration.ofSeconds(1), FileGuard.of(FileSystems.getDefault()));

        env.put("OCF_RESKEY_service", "hulft8");
        env.put("OCF_RESKEY_conf_file", "/a b/100%\nhulenv.cnf");
        env.put("OCF_RESOURCE_INSTANCE", "hulft");
        env.put("OCF_RESKEY_CRM_meta_timeout", "20000");
        env.put("HA_debug", "1");
        env.put("OCF_ROOT", "/usr/lib/ocf");   // Pacemaker's, read by nobody here: not sent
        env.put("HULFTARK_FAST_DEBUG", "1");
        PerlClient.Result r = PerlClient.run(cwd, env, app.toString(), "ocf", "monitor");

        assertThat(r.exit()).as(r.err()).isEqualTo(7);
        assertThat(r.err()).isEqualTo("hulft-ark-fast: debug: ocf answered by the node agent (fast path)\n");
        assertThat(seen).containsExactly(Map.of("OCF_RESKEY_service", "hulft8",
                "OCF_RESKEY_conf_file", "/a b/100%\nhulenv.cnf", "OCF_RESOURCE_INSTANCE", "hulft",
                "OCF_RESKEY_CRM_meta_timeout", "20000", "HA_debug", "1"));
    }
}
