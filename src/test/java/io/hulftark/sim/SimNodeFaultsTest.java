package io.hulftark.sim;

import io.hulftark.cli.Cli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.hulftark.sim.SimTesting.accepts;
import static io.hulftark.sim.SimTesting.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The faults that change the node (a standby that could not take over, a drifted node): what each does to the files
 * and ports the kit reads, that clear puts them back, and {@code sim fault}'s command line for them.
 */
class SimNodeFaultsTest {

    static final String DEFAULTS = "# the site's\nLKHULFT_RETRIES=2\nLKHULFT_TIMEOUT=30\nLKHULFT_FORCE_REMOVE=0\n";

    @TempDir
    Path tmp;
    Path home;
    SimInstallation sim;
    int[] ports;
    String conf;

    @BeforeEach
    void create() throws IOException {
        ports = SimTesting.freePorts(2);
        home = tmp.resolve("node-b hulft");
        sim = SimInstallation.create(home, SimSpec.builder().port("rcvport", ports[0]).port("obsport", ports[1])
                .resource("hulft", SimSpec.DEFAULT_SERVICE_NAME).build());
        Files.writeString(sim.lkDefaultsFile(), DEFAULTS);
        conf = Files.readString(sim.confFile());
    }

    @AfterEach
    void cleanUp() {
        sim.stopNow();
        assertThat(sim.processes()).as("no process of the simulation is left").isEmpty();
    }

    // ---- conf-unreadable ---------------------------------------------------------------------

    @Test
    void confUnreadableMakesTheConfFileAFolderThatNobodyCanReadAndClearPutsItBack() throws Exception {
        assertThat(tool("fault", "conf-unreadable")).isZero();
        assertThat(sim.confFile()).isDirectory();
        // A folder fails every reader, root included (a missing read permission would not stop root).
        assertThatThrownBy(() -> Files.readString(sim.confFile())).isInstanceOf(IOException.class);
        assertThat(tool("fault", "conf-unreadable")).as("again: nothing more happens").isZero();

        assertThat(tool("fault", "clear", "conf-unreadable")).isZero();
        assertThat(sim.confFile()).isRegularFile().hasContent(conf);
        assertThat(sim.ports()).containsEntry("rcvport", ports[0]);
        assertThat(sim.clearFault(Fault.CONF_UNREADABLE)).as("nothing left to undo").isFalse();
    }

    @Test
    void aNodeWhoseConfIsUnreadableCannotStartHulft() throws Exception {
        sim.fault(Fault.CONF_UNREADABLE);
        SimTesting.Result start = run(tmp, 90, sim.utlsvcctl(), "-c", "start");
        assertThat(start.code()).as(start.stderr()).isEqualTo(SimTool.START_FAILED);
        assertThat(sim.isRunning()).isFalse();
    }

    // ---- port-held ---------------------------------------------------------------------------

    @Test
    void portHeldListensOnRcvportFromAnotherProcessSoHulftCannotStartUntilCleared() throws Exception {
        assertThat(accepts(ports[0])).isFalse();
        assertThat(tool("fault", "port-held")).isZero();
        assertThat(sim.heldPorts()).containsExactly(ports[0]);
        assertThat(accepts(ports[0])).as("someone answers on rcvport while HULFT is stopped").isTrue();
        assertThat(sim.isRunning()).isFalse();
        assertThat(sim.processes()).as("the holder is a process of the simulation").hasSize(1);
        assertThatThrownBy(() -> bind(ports[0])).as("the port is taken").isInstanceOf(IOException.class);

        SimTesting.Result start = run(tmp, 90, sim.utlsvcctl(), "-c", "start");
        assertThat(start.code()).as(start.stderr()).isEqualTo(SimTool.START_FAILED);
        assertThat(Files.readString(sim.logFile())).contains("cannot listen: port " + ports[0]);

        assertThat(tool("fault", "clear", "port-held")).isZero();
        assertThat(sim.heldPorts()).isEmpty();
        bind(ports[0]); // free again
        assertThat(sim.processes()).isEmpty();
    }

    @Test
    void portHeldTakesAPortAndIsRefusedWhileHulftRuns() throws Exception {
        assertThat(tool("fault", "port-held", Integer.toString(ports[1]))).isZero();
        assertThat(sim.heldPorts()).containsExactly(ports[1]);
        assertThat(tool("fault", "port-held", Integer.toString(ports[1]))).as("held already: idempotent").isZero();
        assertThat(sim.processes()).hasSize(1);
        assertThat(tool("fault", "clear")).isZero();
        assertThat(sim.heldPorts()).isEmpty();

        assertThat(run(tmp, 90, sim.utlsvcctl(), "-c", "start").code()).isZero();
        List<String> err = new ArrayList<>();
        assertThat(tool(err, "fault", "port-held")).isEqualTo(SimTool.USAGE);
        assertThat(err.get(0)).isEqualTo("fault: port-held: HULFT runs on this node and holds its ports itself; "
                + "stop it first (port-held stands for another program on a standby)");
        assertThat(tool(err, "fault", "port-held", "70000")).isEqualTo(SimTool.USAGE);
    }

    // ---- drift -------------------------------------------------------------------------------

    @Test
    void driftChangesLkhulftTimeoutOnlyAndClearRestoresTheFileAsItWas() throws Exception {
        assertThat(tool("fault", "drift")).isZero();
        assertThat(Files.readString(sim.lkDefaultsFile()))
                .isEqualTo("# the site's\nLKHULFT_RETRIES=2\nLKHULFT_TIMEOUT=90\nLKHULFT_FORCE_REMOVE=0\n");
        assertThat(tool("fault", "drift", "45")).isZero();
        assertThat(Files.readString(sim.lkDefaultsFile())).contains("LKHULFT_TIMEOUT=45\n")
                .doesNotContain("LKHULFT_TIMEOUT=90");
        assertThat(tool("fault", "clear", "drift")).isZero();
        assertThat(sim.lkDefaultsFile()).hasContent(DEFAULTS);

        List<String> err = new ArrayList<>();
        assertThat(tool(err, "fault", "drift", "0")).isEqualTo(SimTool.USAGE);
        assertThat(err.get(0)).isEqualTo("fault: drift: 0 is not LKHULFT_TIMEOUT in seconds (1 to 86400)");
        assertThat(sim.lkDefaultsFile()).hasContent(DEFAULTS);
    }

    @Test
    void driftAddsLkhulftTimeoutWhereTheFileHasNone() throws Exception {
        Files.writeString(sim.lkDefaultsFile(), "LKHULFT_RETRIES=2\n");
        sim.fault(Fault.DRIFT);
        assertThat(sim.lkDefaultsFile()).hasContent("LKHULFT_RETRIES=2\nLKHULFT_TIMEOUT=360\n");
        sim.clearFaults();
        assertThat(sim.lkDefaultsFile()).hasContent("LKHULFT_RETRIES=2\n");
    }

    // ---- together, and a new installation over an old one ------------------------------------

    @Test
    void clearUndoesEveryNodeFaultAndKeptFault() throws Exception {
        sim.fault(Fault.CONF_UNREADABLE);
        sim.fault(Fault.DRIFT, "120");
        sim.fault(Fault.PORT_HELD, Integer.toString(ports[1]));
        sim.fault(Fault.START_HANG);
        assertThat(tool("fault", "clear")).isZero();
        assertThat(sim.confFile()).hasContent(conf);
        assertThat(sim.lkDefaultsFile()).hasContent(DEFAULTS);
        assertThat(sim.heldPorts()).isEmpty();
        assertThat(sim.faultsFile()).doesNotExist();
    }

    @Test
    void aNewInstallationOverAFaultedOneStartsClean() throws Exception {
        sim.fault(Fault.CONF_UNREADABLE);
        sim.fault(Fault.PORT_HELD, Integer.toString(ports[1]));
        sim = SimInstallation.create(home, SimSpec.builder().port("rcvport", ports[0]).build());
        assertThat(sim.confFile()).isRegularFile();
        assertThat(sim.heldPorts()).isEmpty();
        sim.clearFaults();
        assertThat(Files.readString(sim.confFile())).as("no old file comes back").doesNotContain("obsport");
    }

    // ---- the tool's and the command line's words ---------------------------------------------

    @Test
    void anUnknownFaultIsOneLineNamingTheKnownOnes() {
        List<String> err = new ArrayList<>();
        assertThat(tool(err, "fault", "conf-gone")).isEqualTo(SimTool.USAGE);
        assertThat(err.get(0)).isEqualTo("fault: unknown fault conf-gone (known: slow-start MILLIS, start-hang, "
                + "start-fail CODE, stop-fail CODE, stop-hang, refuse-port PORT, crash, conf-unreadable, "
                + "port-held [PORT], drift [SECONDS]; or clear)");
        assertThat(tool(err, "fault", "clear", "conf-gone")).isEqualTo(SimTool.USAGE);
        assertThat(tool(err, "fault", "conf-unreadable", "1")).isEqualTo(SimTool.USAGE);
        assertThat(err.get(0)).isEqualTo("fault: conf-unreadable takes no argument");
    }

    @Test
    void simFaultOnTheCommandLine() {
        String[] out = new String[2];
        assertThat(cli(out, "sim", "fault", home.toString(), "drift", "75")).isZero();
        assertThat(sim.lkDefaultsFile()).content().contains("LKHULFT_TIMEOUT=75");
        assertThat(cli(out, "sim", "fault", home.toString(), "clear", "drift")).isZero();
        assertThat(sim.lkDefaultsFile()).hasContent(DEFAULTS);
        assertThat(cli(out, "sim", "fault", home.toString(), "clear", "drift")).isZero();
        assertThat(out[0]).isEqualTo("drift was not set\n");

        assertThat(cli(out, "sim", "fault", home.toString(), "conf-gone")).isEqualTo(2);
        assertThat(out[1].lines().findFirst()).contains("hulft-ark: unknown fault: conf-gone (known: "
                + Fault.synopsis() + "; or clear [FAULT])");
        assertThat(out[1]).contains("Try 'hulft-ark sim fault --help'");
        assertThat(cli(out, "sim", "fault", home.toString(), "drift", "0")).isEqualTo(2);
        assertThat(out[1].lines().findFirst())
                .contains("hulft-ark: drift: 0 is not LKHULFT_TIMEOUT in seconds (1 to 86400)");
        assertThat(cli(out, "sim", "fault", home.toString(), "refuse-port")).isEqualTo(2);
        assertThat(out[1].lines().findFirst()).contains("hulft-ark: refuse-port needs an argument: a port (1 to 65535)");
        assertThat(cli(out, "sim", "fault", tmp.resolve("nothing").toString(), "drift")).isEqualTo(1);
        assertThat(out[1]).startsWith("hulft-ark: not a simulated HULFT installation");
    }

    @Test
    void simFaultHelpListsEveryFault() {
        String[] out = new String[2];
        assertThat(cli(out, "sim", "fault", "--help")).isZero();
        String help = out[0].replaceAll("\\s+", " ");
        for (Fault f : Fault.values()) {
            assertThat(help).as(f.word()).contains(f.word());
        }
        assertThat(help).contains("clear FAULT undoes one", "conf-unreadable, port-held, drift, clear");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private int tool(String... args) {
        return tool(new ArrayList<>(), args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
    }

    /** SimTool TOOL --home HOME ARGS in this JVM; its stderr lines into {@code err}. */
    private int tool(List<String> err, String tool, String... args) {
        String[] argv = new String[args.length + 3];
        argv[0] = tool;
        argv[1] = "--home";
        argv[2] = home.toString();
        System.arraycopy(args, 0, argv, 3, args.length);
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int code = SimTool.run(argv, sink, new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        err.clear();
        err.addAll(errBytes.toString(StandardCharsets.UTF_8).lines().toList());
        return code;
    }

    private static int cli(String[] outAndErr, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of());
        outAndErr[0] = out.toString();
        outAndErr[1] = err.toString();
        return code;
    }

    private static void bind(int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }
}
