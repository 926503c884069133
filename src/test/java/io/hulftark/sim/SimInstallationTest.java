package io.hulftark.sim;

import static io.hulftark.sim.SimTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installation on disk and the tools that need no running service. */
class SimInstallationTest {

    static final String INFO = "HULFT8 Service: node a:b";

    @TempDir
    Path tmp;
    Path home;
    SimInstallation sim;

    @BeforeEach
    void create() throws IOException {
        home = tmp.resolve("HULFT Family's home");
        sim = SimInstallation.create(home, SimSpec.builder()
                .startType("auto")
                .port("rcvport", 30000)
                .port("sddport", 30001)
                .resource("hulft-rcv", INFO)
                .resource("hulft-empty", "")
                .build());
    }

    @Test
    void hulenvCnfHoldsTheGivenPortsAndMyhostnameOnly() throws IOException {
        List<String> lines = Files.readAllLines(sim.confFile());
        assertTrue(lines.get(0).startsWith("#"), "comment header");
        assertTrue(lines.contains("rcvport=30000"));
        assertTrue(lines.contains("sddport=30001"));
        assertTrue(lines.contains("myhostname=localhost"));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("obsport") || l.startsWith("schport")
                || l.startsWith("srvcproport")), "ports not given are left out");
        assertEquals(Map.of("rcvport", 30000, "sddport", 30001), sim.ports());
        assertEquals(home.resolve("etc/hulenv.cnf"), sim.confFile());
    }

    @Test
    void everyCommandIsAnExecutableShWrapperThatExecsTheJvm() throws IOException {
        for (Path cmd : List.of(sim.utlsvcctl(), sim.utlalivecheck(), sim.statusCommand(), sim.startTypeCommand(),
                sim.setDemandCommand(), sim.insListCommand())) {
            String text = Files.readString(cmd);
            assertTrue(text.startsWith("#!/bin/sh\n"), cmd.toString());
            assertTrue(text.contains("exec '"), cmd.toString());
            assertTrue(text.contains("io.hulftark.sim.SimTool " + cmd.getFileName() + " --home "), text);
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(cmd)));
        }
        assertTrue(Files.isRegularFile(sim.lkDefaultsFile()));
        assertTrue(Files.readString(sim.lkDefaultsFile()).startsWith("#"));
        assertEquals(home.resolve("lkroot"), sim.lkroot());
    }

    @Test
    void shellQuoteSurvivesShUnchanged() throws Exception {
        for (String s : List.of("plain", "with space", "it's", "'", "$HOME `id` \"q\" \\ *", "a''b")) {
            SimTesting.Result r = run(tmp, 10, "/bin/sh", "-c", "printf %s " + SimInstallation.shellQuote(s));
            assertEquals(s, r.out());
        }
    }

    @Test
    void startTypeStartsAsSpecifiedAndSetDemandChangesIt() throws Exception {
        assertEquals("auto", run(tmp, 10, sim.startTypeCommand(), "HULFT8 Service").out().strip());
        assertEquals(0, run(tmp, 10, sim.setDemandCommand(), "HULFT8 Service").code());
        SimTesting.Result after = run(tmp, 10, sim.startTypeCommand(), "HULFT8 Service");
        assertEquals(0, after.code());
        assertEquals("demand", after.out().strip());

        SimInstallation disabled = SimInstallation.create(tmp.resolve("other"),
                SimSpec.builder().startType("disabled").build());
        assertEquals("disabled", run(tmp, 10, disabled.startTypeCommand(), "HULFT8 Service").out().strip());
    }

    @Test
    void serviceCommandsAnswerFourForAnotherService() throws Exception {
        assertEquals(4, run(tmp, 10, sim.statusCommand(), "HULFT7 Service").code());
        assertEquals(4, run(tmp, 10, sim.startTypeCommand(), "HULFT8").code());
        assertEquals(4, run(tmp, 10, sim.setDemandCommand(), "nope").code());
        assertEquals("auto", sim.startType(), "a refused set-demand changes nothing");
        assertEquals(3, run(tmp, 10, sim.statusCommand(), "HULFT8 Service").code(), "installed, not running");
        assertEquals(2, run(tmp, 10, sim.statusCommand()).code(), "no service name: usage");
    }

    @Test
    void insListPrintsTheResourceWithLifeKeepersSeparator() throws Exception {
        SimTesting.Result r = run(tmp, 10, sim.insListCommand(), "-t", "hulft-rcv");
        assertEquals(0, r.code(), r.stderr());
        byte[] expected = ("sim-node\u0001gen\u0001app\u0001hulft-rcv\u0001SIM-hulft-rcv\u0001" + INFO
                + "\u0001OSU\u0001intelligent\n").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, r.stdout());
        assertEquals(INFO, r.out().split("\u0001", -1)[5], "field 6 is the info");

        SimTesting.Result empty = run(tmp, 10, sim.insListCommand(), "-t", "hulft-empty");
        assertEquals("", empty.out().split("\u0001", -1)[5]);
    }

    @Test
    void insListOfAnUnknownTagPrintsNothingAndExitsOne() throws Exception {
        SimTesting.Result r = run(tmp, 10, sim.insListCommand(), "-t", "no-such-tag");
        assertEquals(1, r.code());
        assertEquals(0, r.stdout().length);
    }

    @Test
    void alivecheckTellsAnOpenPortFromAClosedOne() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            SimTesting.Result ok = run(tmp, 10, sim.utlalivecheck(), "-h", "127.0.0.1", "-p", open.getLocalPort(),
                    "-w", "5");
            assertEquals(0, ok.code(), ok.stderr());
        }
        int closed = SimTesting.freePorts(1)[0];
        SimTesting.Result refused = run(tmp, 10, sim.utlalivecheck(), "-h", "127.0.0.1", "-p", closed, "-w", "2");
        assertEquals(1, refused.code());
        assertTrue(refused.stderr().contains("cannot connect"), refused.stderr());
        assertEquals(1, refused.stderr().strip().lines().count(), "one-line reason");
    }

    @Test
    void alivecheckWithoutHostIsAUsageError() throws Exception {
        SimTesting.Result r = run(tmp, 10, sim.utlalivecheck(), "-p", "30000", "-w", "1");
        assertEquals(2, r.code());
        assertTrue(r.stderr().contains("-h HOST is required"), r.stderr());
    }

    @Test
    void faultToolRecordsValidatesAndClears() {
        assertEquals(0, tool("fault", "--home", home.toString(), "slow-start", "1500"));
        assertEquals(0, tool("fault", "--home", home.toString(), "refuse-port", "30000"));
        assertEquals(0, tool("fault", "--home", home.toString(), "refuse-port", "30001"));
        assertEquals(0, tool("fault", "--home", home.toString(), "stop-hang"));
        Properties faults = SimHome.loadProperties(sim.faultsFile());
        assertEquals("1500", faults.getProperty("slow-start"));
        assertEquals("30000,30001", faults.getProperty("refuse-port"));
        assertEquals("", faults.getProperty("stop-hang"));

        assertEquals(2, tool("fault", "--home", home.toString(), "start-fail"), "missing code");
        assertEquals(2, tool("fault", "--home", home.toString(), "start-fail", "300"), "not an exit code");
        assertEquals(2, tool("fault", "--home", home.toString(), "no-such-fault"));
        assertThrows(IllegalArgumentException.class, () -> sim.fault(Fault.REFUSE_PORT, "x"));

        assertEquals(0, tool("fault", "--home", home.toString(), "clear"));
        assertFalse(Files.exists(sim.faultsFile()));
    }

    @Test
    void specRejectsWhatHulftWouldNot() {
        assertThrows(IllegalArgumentException.class, () -> SimSpec.builder().port("rcvprt", 1).build());
        assertThrows(IllegalArgumentException.class, () -> SimSpec.builder().port("rcvport", 70000).build());
        assertThrows(IllegalArgumentException.class, () -> SimSpec.builder().startType("manual").build());
        assertThrows(IllegalArgumentException.class, () -> SimSpec.builder().resource("t", "a\nb").build());
        SimSpec d = SimSpec.defaults();
        assertEquals("HULFT8 Service", d.serviceName());
        assertEquals("localhost", d.myhostname());
        assertEquals("demand", d.startType(), "manual, as on every node of a cluster");
    }

    @Test
    void openFindsAnExistingInstallation() throws IOException {
        assertEquals("HULFT8 Service", SimInstallation.open(home).serviceName());
        assertThrows(IOException.class, () -> SimInstallation.open(tmp.resolve("nothing here")));
    }

    private static int tool(String... args) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return SimTool.run(args, sink, sink);
    }
}
