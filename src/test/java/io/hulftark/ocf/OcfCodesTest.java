package io.hulftark.ocf;

import io.hulftark.cli.Cli;
import io.hulftark.cli.SimSettings;
import io.hulftark.sim.Fault;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OCF exit codes as a table of named cases: {@code hulft-ark ocf ACTION} run as Pacemaker
 * runs it (OCF_RESKEY_* in the environment), against a simulated HULFT (real processes, real ports).
 */
class OcfCodesTest {

    /** Something done to the node before the actions run. */
    @FunctionalInterface
    interface Setup {
        void apply(OcfCodesTest t) throws Exception;
    }

    /**
     * @param actions run in order (null: no action at all)
     * @param codes   the exit code of each
     * @param stderr  what the last action's stderr must hold ("" = nothing at all)
     */
    record Case(String name, Setup setup, List<String> actions, List<Integer> codes, String stderr) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, Setup setup, String actions, String codes, String stderr) {
        List<String> a = new ArrayList<>();
        for (String s : actions.split(" ")) {
            a.add(s.equals("-") ? null : s);
        }
        return new Case(name, setup, a, Stream.of(codes.split(" ")).map(Integer::valueOf).toList(), stderr);
    }

    static final Setup NOTHING = t -> { };
    static final Setup RUNNING = OcfCodesTest::startService;

    static Stream<Case> cases() {
        return Stream.of(
                c("monitor when stopped", NOTHING, "monitor", "7", ""),
                c("monitor when running", RUNNING, "monitor", "0", ""),
                c("monitor with a port refused", t -> {
                    startService(t);
                    t.sim.fault(Fault.REFUSE_PORT, Integer.toString(t.obs));
                }, "monitor", "1", "51050007 ERROR Failed to check the port used by HULFT8 Service (port = "),
                c("monitor after a crash", t -> {
                    startService(t);
                    t.sim.crash();
                }, "monitor", "7", ""),
                c("probe of a standby without the shared disk (no hulenv.cnf)", t -> Files.delete(t.sim.confFile()),
                        "monitor", "7", ""),
                c("monitor of a service not installed on this node",
                        t -> t.env.put("OCF_RESKEY_service", "no such service"), "monitor", "5",
                        "51050109 ERROR no such service is not installed on this node"),
                c("stop of a service not installed on this node",
                        t -> t.env.put("OCF_RESKEY_service", "no such service"), "stop", "0", ""),
                c("start", NOTHING, "start monitor", "0 0", ""),
                c("double start", NOTHING, "start start monitor", "0 0 0", ""),
                c("stop", RUNNING, "stop monitor", "0 7", ""),
                c("double stop", RUNNING, "stop stop monitor", "0 0 7", ""),
                c("stop of a stopped service on a node without HULFT",
                        t -> t.env.put("OCF_RESKEY_exe_path", "/no/such/HULFT/bin"), "stop", "0", ""),
                c("a start that fails", t -> t.sim.fault(Fault.START_FAIL, "9"), "start", "1",
                        "51050004 ERROR Failed to start HULFT8 Service (code = 9)"),
                c("start without hulenv.cnf", t -> Files.delete(t.sim.confFile()), "start", "5",
                        "51050018 ERROR The conf_file is incorrect or inaccessible"),
                c("start with exe_path not a folder", t -> t.env.put("OCF_RESKEY_exe_path", "/no/such/HULFT/bin"),
                        "start", "5", "51050017 ERROR The exe_path is incorrect or inaccessible"),
                c("validate-all", NOTHING, "validate-all", "0", ""),
                c("validate-all without hulenv.cnf", t -> Files.delete(t.sim.confFile()), "validate-all", "5",
                        "51050018 ERROR"),
                c("validate-all with exe_path lacking utlsvcctl", t -> Files.delete(t.sim.utlsvcctl()),
                        "validate-all", "5", "51050112 ERROR Neither utlsvcctl nor utlsvctl is in"),
                c("a required parameter missing", t -> t.env.remove("OCF_RESKEY_conf_file"), "monitor", "6",
                        "51050120 ERROR OCF_RESKEY_conf_file is not set"),
                c("a bad parameter", t -> t.env.put("OCF_RESKEY_retries", "lots"), "start", "6",
                        "51050120 ERROR OCF_RESKEY_retries=\"lots\": must be a whole number from 0 to 100"),
                c("a service name systemd cannot take", t -> t.env.put("HULFTARK_PLATFORM", "linux"), "monitor", "6",
                        "51050120 ERROR OCF_RESKEY_service=\"HULFT8 Service\": not a valid systemd unit name"),
                c("a parameter the agent does not know", t -> t.env.put("OCF_RESKEY_exepath", "/opt"), "stop", "6",
                        "51050120 ERROR unknown parameter OCF_RESKEY_exepath"),
                c("this node's configuration is wrong", t -> t.env.put("HULFTARK_PROBE", "ping"), "monitor", "5",
                        "hulft-ark ocf: configuration error"),
                c("unknown action", NOTHING, "notify promote migrate_to", "3 3 3", "is not supported by this agent"),
                c("no action", NOTHING, "-", "2", "hulft-ark ocf: no action given"),
                c("reload", NOTHING, "reload", "0", ""),
                c("meta-data", NOTHING, "meta-data methods", "0 0", ""));
    }

    @TempDir
    Path dir;
    SimInstallation sim;
    int rcv;
    int obs;
    final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void layOut() throws IOException {
        rcv = freePort();
        obs = freePort();
        sim = SimInstallation.create(dir.resolve("hulft"), SimSpec.builder().port("rcvport", rcv)
                .port("obsport", obs).startType("demand").build());
        // The kit's own settings as a site sets them for the node (here: the environment, as Quarkus reads it).
        SimSettings.of(sim, dir.resolve("state")).forEach((k, v) -> {
            if (!k.equals("hulftark.exe-path") && !k.equals("hulftark.conf-file")) {
                env.put(k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), v);
            }
        });
        env.put("OCF_ROOT", "/usr/lib/ocf");
        env.put("OCF_RESOURCE_INSTANCE", "hulft");
        env.put("OCF_RESKEY_service", sim.serviceName());
        env.put("OCF_RESKEY_exe_path", sim.binDir().toString());
        env.put("OCF_RESKEY_conf_file", sim.confFile().toString());
        env.put("OCF_RESKEY_probe", "tcp");
        env.put("OCF_RESKEY_retries", "0");
        env.put("OCF_RESKEY_CRM_meta_timeout", "60000");
    }

    @AfterEach
    void cleanUp() {
        sim.stopNow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ocfCode(Case c) throws Exception {
        c.setup().apply(this);
        List<Integer> codes = new ArrayList<>();
        String lastErr = "";
        String lastOut = "";
        for (String action : c.actions()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            String[] args = action == null ? new String[] {"ocf"} : new String[] {"ocf", action};
            codes.add(Cli.execute(args, new PrintWriter(out), new PrintWriter(err), env));
            lastErr = err.toString();
            lastOut = out.toString();
        }
        assertThat(codes).as(c.name() + "; stderr: " + lastErr).isEqualTo(c.codes());
        if (c.stderr().isEmpty()) {
            assertThat(lastErr).isEmpty();
        } else {
            assertThat(lastErr).contains(c.stderr());
            // Every line is a message of the kit or one line of the agent's own: no stack trace, no usage.
            assertThat(lastErr.lines()).allMatch(l -> l.matches("\\d{8} [A-Z]+ .*") || l.startsWith("hulft-ark ocf: "));
        }
        if (c.actions().contains("methods")) {
            assertThat(lastOut.lines().toList()).contains("start", "stop", "monitor", "validate-all", "meta-data");
        }
    }

    @Test
    void aStopThatFailsSaysSoAndIsNeverForced() throws Exception {
        startService(this);
        sim.fault(Fault.STOP_FAIL, "4");
        StringWriter err = new StringWriter();

        int code = Cli.execute(new String[] {"ocf", "stop"}, new PrintWriter(new StringWriter()), new PrintWriter(err), env);

        assertThat(code).as(err.toString()).isEqualTo(OcfCode.ERR_GENERIC.exit());
        assertThat(err.toString()).contains("51050002 ERROR Failed to stop HULFT8 Service (code = 4)")
                .doesNotContain("51050019");
        assertThat(sim.isRunning()).isTrue();
    }

    @Test
    void aHungStartIsEndedBeforePacemakersTimeout() throws Exception {
        sim.fault(Fault.START_HANG, null);
        env.put("OCF_RESKEY_CRM_meta_timeout", "10000");
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();

        int code = Cli.execute(new String[] {"ocf", "start"}, new PrintWriter(new StringWriter()), new PrintWriter(err), env);

        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(code).as(err.toString()).isEqualTo(OcfCode.ERR_GENERIC.exit());
        assertThat(err.toString()).contains("51050101 ERROR The restore of ").contains("LKHULFT_TIMEOUT = 5 s");
        assertThat(millis).as("the agent answers before Pacemaker's 10 s are up").isLessThan(10_000);
    }

    static void startService(OcfCodesTest t) throws Exception {
        Process p = new ProcessBuilder(t.sim.utlsvcctl().toString(), "-c", "start").start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(t.sim.isRunning()).isTrue();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
