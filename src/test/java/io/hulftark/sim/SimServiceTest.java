package io.hulftark.sim;

import static io.hulftark.sim.SimTesting.accepts;
import static io.hulftark.sim.SimTesting.awaitAccepts;
import static io.hulftark.sim.SimTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service as real processes on real loopback ports, driven through the real executables. */
class SimServiceTest {

    static final String SERVICE = SimSpec.DEFAULT_SERVICE_NAME;

    @TempDir
    Path tmp;
    SimInstallation sim;
    int[] ports;

    @BeforeEach
    void create() throws IOException {
        ports = SimTesting.freePorts(3);
        sim = SimInstallation.create(tmp.resolve("HULFT Family home"), SimSpec.builder()
                .port("rcvport", ports[0])
                .port("obsport", ports[1])
                .port("schport", ports[2])
                .build());
    }

    @AfterEach
    void cleanUp() {
        sim.stopNow();
        assertTrue(sim.processes().isEmpty(), "no process of the simulation is left");
    }

    @Test
    void startListensOnEveryPortAndStopClosesThem() throws Exception {
        SimTesting.Result start = start();
        assertEquals(0, start.code(), start.stderr());
        assertEquals(0, status());
        assertTrue(sim.isRunning());
        assertTrue(sim.pid().isPresent());
        for (int port : ports) {
            assertTrue(accepts(port), "port " + port + " accepts");
            assertEquals(0, run(tmp, 20, sim.utlalivecheck(), "-h", "localhost", "-p", port, "-w", "5").code());
        }

        SimTesting.Result stop = stop();
        assertEquals(0, stop.code(), stop.stderr());
        assertEquals(3, status());
        for (int port : ports) {
            assertFalse(accepts(port), "port " + port + " is closed");
            assertEquals(1, run(tmp, 20, sim.utlalivecheck(), "-h", "localhost", "-p", port, "-w", "1").code());
        }
        assertFalse(Files.exists(sim.pidFile()));
        assertTrue(Files.readString(sim.logFile()).contains("stopped"), "the service stopped cleanly");
    }

    @Test
    void startAndStopAreIdempotent() throws Exception {
        assertEquals(0, stop().code(), "stop when stopped");
        assertEquals(0, start().code());
        long pid = sim.pid().orElseThrow();
        SimTesting.Result again = start();
        assertEquals(0, again.code(), "start when running");
        assertEquals(pid, sim.pid().orElseThrow(), "no second service");
        assertEquals(0, stop().code());
        assertEquals(0, stop().code());
        assertEquals(3, status());
    }

    @Test
    void slowStartDelaysListeningAndStartWaitsForIt() throws Exception {
        sim.fault(Fault.SLOW_START, "1500");
        long t0 = System.nanoTime();
        assertEquals(0, start().code());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(millis >= 1500, "start returned after " + millis + " ms");
        for (int port : ports) {
            assertTrue(accepts(port), "listening once start returned");
        }
    }

    @Test
    void startHangNeverReturnsAndKillingItLeavesNothingBehind() throws Exception {
        sim.fault(Fault.START_HANG, null);
        Process start = SimTesting.spawn(sim.utlsvcctl(), "-c", "start");
        assertFalse(start.waitFor(1500, TimeUnit.MILLISECONDS), "start still running");
        assertFalse(sim.processes().isEmpty(), "the hung utlsvcctl is one of the simulation's processes");
        start.destroyForcibly();
        assertTrue(start.waitFor(5, TimeUnit.SECONDS));
        assertTrue(sim.processes().isEmpty(), "nothing left: " + sim.processes());
        assertEquals(3, status());
        assertFalse(accepts(ports[0]));
    }

    @Test
    void startFailExitsWithTheGivenCodeAndStartsNothing() throws Exception {
        sim.fault(Fault.START_FAIL, "7");
        SimTesting.Result r = start();
        assertEquals(7, r.code());
        assertTrue(r.stderr().contains("start-fail"), r.stderr());
        assertEquals(3, status());
        assertTrue(sim.processes().isEmpty());
        assertFalse(accepts(ports[0]));
    }

    @Test
    void stopFailExitsWithTheGivenCodeAndLeavesTheServiceRunning() throws Exception {
        assertEquals(0, start().code());
        sim.fault(Fault.STOP_FAIL, "5");
        assertEquals(5, stop().code());
        assertEquals(0, status());
        assertTrue(accepts(ports[1]));
        sim.clearFaults();
        assertEquals(0, stop().code());
        assertEquals(3, status());
    }

    @Test
    void stopHangNeverReturnsAndTheServiceKeepsRunning() throws Exception {
        assertEquals(0, start().code());
        sim.fault(Fault.STOP_HANG, null);
        Process stop = SimTesting.spawn(sim.utlsvcctl(), "-c", "stop");
        assertFalse(stop.waitFor(1500, TimeUnit.MILLISECONDS), "stop still running");
        stop.destroyForcibly();
        assertTrue(stop.waitFor(5, TimeUnit.SECONDS));
        assertEquals(0, status());
        assertTrue(accepts(ports[0]));
    }

    @Test
    void refusePortClosesThatPortOnlyAndClearReopensIt() throws Exception {
        assertEquals(0, start().code());
        sim.fault(Fault.REFUSE_PORT, Integer.toString(ports[1]));
        assertTrue(awaitAccepts(ports[1], false, 1000), "refused within a second");
        assertTrue(accepts(ports[0]));
        assertTrue(accepts(ports[2]));
        assertEquals(1, run(tmp, 20, sim.utlalivecheck(), "-h", "localhost", "-p", ports[1], "-w", "1").code());
        assertEquals(0, status(), "the service still runs");

        sim.clearFaults();
        assertTrue(awaitAccepts(ports[1], true, 2000), "open again after clear");
    }

    @Test
    void refusePortGivenBeforeStartIsNeverOpened() throws Exception {
        sim.fault(Fault.REFUSE_PORT, Integer.toString(ports[2]));
        assertEquals(0, start().code(), "ready without the refused port");
        assertTrue(accepts(ports[0]));
        assertFalse(accepts(ports[2]));
    }

    @Test
    void crashKillsTheServiceWithoutACleanStop() throws Exception {
        assertEquals(0, start().code());
        sim.fault(Fault.CRASH, null);
        assertEquals(3, status());
        assertFalse(sim.isRunning());
        assertTrue(Files.exists(sim.pidFile()), "a crash leaves its pid file behind");
        assertFalse(Files.readString(sim.logFile()).contains("stopped"), "no clean stop");
        assertFalse(accepts(ports[0]));

        assertEquals(0, start().code(), "starts again over the stale pid file");
        assertEquals(0, status());
    }

    @Test
    void crashThroughTheToolKillsTheService() throws Exception {
        assertEquals(0, start().code());
        SimTesting.Result r = run(tmp, 20, SimTool.javaCommand(), "-cp", SimInstallation.simClassPath(),
                "io.hulftark.sim.SimTool", "fault", "--home", sim.home(), "crash");
        assertEquals(0, r.code(), r.stderr());
        assertEquals(3, status());
    }

    @Test
    void aDisabledServiceDoesNotStart() throws Exception {
        SimInstallation disabled = SimInstallation.create(tmp.resolve("disabled"),
                SimSpec.builder().port("rcvport", ports[0]).startType("disabled").build());
        SimTesting.Result r = run(tmp, 20, disabled.utlsvcctl(), "-c", "start");
        assertEquals(8, r.code());
        assertTrue(r.stderr().contains("disabled"), r.stderr());
        assertFalse(disabled.isRunning());
    }

    @Test
    void aTakenPortMakesStartFail() throws Exception {
        try (ServerSocket taken = new ServerSocket(ports[2], 1, InetAddress.getLoopbackAddress())) {
            SimTesting.Result r = start();
            assertEquals(8, r.code());
            assertTrue(r.stderr().contains("before it listened"), r.stderr());
        }
        assertEquals(3, status());
        assertTrue(sim.processes().isEmpty());
    }

    private SimTesting.Result start() throws Exception {
        return run(tmp, 30, sim.utlsvcctl(), "-c", "start");
    }

    private SimTesting.Result stop() throws Exception {
        return run(tmp, 30, sim.utlsvcctl(), "-c", "stop");
    }

    private int status() throws Exception {
        return run(tmp, 20, sim.statusCommand(), SERVICE).code();
    }
}
