package io.hulftark.it;

import io.hulftark.sim.Fault;
import io.hulftark.sim.SimInstallation;
import io.hulftark.sim.SimSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged CLI as a separate process against a simulated HULFT: the scenarios, one test each. */
class KitIT {

    static final String TAG = "hulft";

    @TempDir
    Path dir;
    SimInstallation sim;
    Cli cli;
    int rcv;
    int obs;

    @BeforeEach
    void layOut() throws IOException {
        rcv = freePort();
        obs = freePort();
        sim = SimInstallation.create(dir.resolve("HULFT Family"), SimSpec.builder()
                .port("rcvport", rcv).port("obsport", obs).resource(TAG, SimSpec.DEFAULT_SERVICE_NAME)
                .resource("no-info", "").build());
        cli = new Cli(sim, dir.resolve("state"));
    }

    @AfterEach
    void cleanUp() {
        sim.stopNow();
    }

    void startService() throws Exception {
        Process p = new ProcessBuilder(sim.utlsvcctl().toString(), "-c", "start").start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(sim.isRunning()).isTrue();
    }

    static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void restoreOfAStoppedService() throws Exception {
        Cli.Result r = cli.run("restore", "-t", TAG);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(sim.isRunning()).isTrue();
        assertThat(answers(rcv) && answers(obs)).isTrue();
    }

    @Test
    void restoreOfARunningService() throws Exception {
        startService();
        long pid = sim.pid().orElseThrow();
        Cli.Result r = cli.run("restore", "-t", TAG);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(sim.pid()).hasValue(pid);
    }

    @Test
    void aStartThatFailsIsRetriedThenReported() throws Exception {
        cli.lifeKeeperDefaults(sim, "LKHULFT_RETRIES=1\n");
        sim.fault(Fault.START_FAIL, "7");
        Cli.Result r = cli.run("restore", "-t", TAG);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.codes()).containsExactly("51050102", "51050004");
        assertThat(r.err()).contains("51050004 ERROR Failed to start HULFT8 Service (code = 7)");
    }

    @Test
    void aPortThatRefuses() throws Exception {
        startService();
        sim.fault(Fault.REFUSE_PORT, Integer.toString(obs));
        cli.lifeKeeperDefaults(sim, "LKHULFT_RETRIES=0\n");
        Cli.Result r = cli.run("quickCheck", "-t", TAG);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("51050007 ERROR Failed to check the port used by HULFT8 Service (port = " + obs
                + ", code = 1)").doesNotContain("port = " + rcv);
    }

    @Test
    void aPortThatIsNotSetIsNotChecked() throws Exception {
        Files.writeString(sim.confFile(), "# only one port\nrcvport=" + rcv + "\nmyhostname=localhost\n");
        cli.properties.put("hulftark.debug", "true");
        Cli.Result r = cli.run("restore", "-t", TAG);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("port " + rcv + " on localhost: code 0").doesNotContain("port " + obs);
    }

    @Test
    void quickCheckHealthy() throws Exception {
        startService();
        Cli.Result r = cli.run("quickCheck", "-t", TAG);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void quickCheckStopped() throws Exception {
        Cli.Result r = cli.run("quickCheck", "-t", TAG);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("51050005 ERROR HULFT8 Service is not running");
    }

    @Test
    void quickCheckWithAnUnreadableConfig() throws Exception {
        startService();
        Files.writeString(sim.confFile(), "rcvport=30x00\n");
        Cli.Result r = cli.run("quickCheck", "-t", TAG);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.codes()).containsExactly("51050006", "51050106");
        assertThat(r.err()).contains("line 1").contains("rcvport");
    }

    @Test
    void removeWithStartTypeAuto() throws Exception {
        // A service someone set to start automatically: remove sets it to demand (spec 5.2 step 4).
        sim = SimInstallation.create(dir.resolve("HULFT Family"), SimSpec.builder()
                .port("rcvport", rcv).port("obsport", obs).resource(TAG, SimSpec.DEFAULT_SERVICE_NAME)
                .resource("no-info", "").startType("auto").build());
        cli = new Cli(sim, dir.resolve("state"));
        startService();
        assertThat(sim.startType()).isEqualTo("auto");
        Cli.Result r = cli.run("remove", "-t", TAG);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err().strip()).isEqualTo("51050000 WARN HULFT8 Service : Changed the startup type to demand");
        assertThat(sim.startType()).isEqualTo("demand");
        assertThat(sim.isRunning()).isFalse();
        assertThat(answers(rcv)).isFalse();
    }

    @Test
    void removeOfAStoppedService() throws Exception {
        Cli.Result r = cli.run("remove", "-t", TAG);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(sim.isRunning()).isFalse();
    }

    @Test
    void aFailedStopIsForcedToSuccessWhenLkhulftForceRemoveIs1() throws Exception {
        startService();
        sim.fault(Fault.STOP_FAIL, "5");
        cli.lifeKeeperDefaults(sim, "LKHULFT_RETRIES=0\nLKHULFT_FORCE_REMOVE=1\n");
        Cli.Result r = cli.run("remove", "-t", TAG);
        assertThat(r.exit()).isZero();
        assertThat(r.codes()).endsWith("51050002", "51050019");
        assertThat(sim.isRunning()).isTrue();
    }

    @Test
    void aFailedStopFailsWhenLkhulftForceRemoveIs0() throws Exception {
        startService();
        sim.fault(Fault.STOP_FAIL, "5");
        cli.lifeKeeperDefaults(sim, "LKHULFT_RETRIES=0\nLKHULFT_FORCE_REMOVE=0\n");
        Cli.Result r = cli.run("remove", "-t", TAG);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("51050002 ERROR Failed to stop HULFT8 Service (code = 5)").doesNotContain("51050019");
    }

    @Test
    void recoverAfterACrash() throws Exception {
        startService();
        long before = sim.pid().orElseThrow();
        sim.crash();
        assertThat(cli.run("quickCheck", "-t", TAG).exit()).isEqualTo(1);
        Cli.Result r = cli.run("recover", "-t", TAG);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(sim.pid()).isPresent();
        assertThat(sim.pid().getAsLong()).isNotEqualTo(before);
        assertThat(answers(rcv)).isTrue();
    }

    @Test
    void anUnknownTagEndsWithExit0() throws Exception {
        Cli.Result r = cli.run("restore", "-t", "nope");
        assertThat(r.exit()).isZero();
        assertThat(r.err().strip()).isEqualTo("51050008 ERROR Failed to get transport name for nope");
        assertThat(sim.isRunning()).isFalse();
    }

    @Test
    void aResourceWithoutServiceNameEndsWithExit0() throws Exception {
        Cli.Result r = cli.run("remove", "-t", "no-info");
        assertThat(r.exit()).isZero();
        assertThat(r.err().strip()).isEqualTo("51050009 ERROR Failed to get transport name for no-info");
    }

    @Test
    void deepCheckFromTheScriptPath() throws Exception {
        Cli.Result r = cli.run("lifekeeper", "--script", dir.resolve("LK app/!deepCheck/hulft-ark-lk.pl").toString(),
                "-t", TAG, "-i", "id1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("51050015 ERROR deepCheck is not supported.");
    }

    @Test
    void restoreFromAScriptPathWithSpaces() throws Exception {
        Cli.Result r = cli.run("lifekeeper", "--script", dir.resolve("Life Keeper/!restore/hulft ark.pl").toString(),
                "-t", TAG, "-i", "id1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(sim.isRunning()).isTrue();
    }

    @Test
    void missingExePath() throws Exception {
        cli.properties.remove("hulftark.exe-path");
        Cli.Result r = cli.run("restore", "-t", TAG);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("51050016 ERROR Please change exe_path and conf_file of hulft_generic_ark.pl.");
    }

    @Test
    void missingConfFile() throws Exception {
        Path missing = dir.resolve("E/HULFT Family/etc/hulenv.cnf");
        cli.properties.put("hulftark.conf-file", missing.toString());
        Cli.Result r = cli.run("quickCheck", "-t", TAG);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("51050018 ERROR The conf_file is incorrect or inaccessible. "
                + "Please specify the correct path (conf_file = " + missing + ")");
    }

    @Test
    void aStartThatHangsEndsAtLkhulftTimeoutAndLeavesNothingBehind() throws Exception {
        cli.lifeKeeperDefaults(sim, "LKHULFT_TIMEOUT=3\n");
        sim.fault(Fault.START_HANG);
        Cli.Result r = cli.run("restore", "-t", TAG);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.millis()).isLessThan(3_000 + 8_000); // 3 s of timeout, generous room for JVM starts
        assertThat(r.err()).contains("51050103 ERROR").contains(
                "51050101 ERROR The restore of HULFT8 Service did not end within LKHULFT_TIMEOUT = 3 s and was stopped");
        assertThat(sim.processes()).isEmpty();
    }

    @Test
    void restoreAndRemoveStartedTogetherDoNotInterleave() throws Exception {
        sim.fault(Fault.SLOW_START, "1500");
        cli.properties.put("hulftark.debug", "true");
        long t0 = System.nanoTime();
        Process restore = cli.start("restore", "-t", TAG);
        Thread.sleep(300);
        Process remove = cli.start("remove", "-t", TAG);
        Cli.Result removed = Cli.finish(remove, t0);
        Cli.Result restored = Cli.finish(restore, t0);
        assertThat(restored.exit()).as(restored.err()).isZero();
        assertThat(removed.exit()).as(removed.err()).isZero();
        // remove waited for restore's lock: it found the service running (started in full) and stopped it.
        assertThat(removed.err()).doesNotContain("already stopped");
        assertThat(sim.isRunning()).isFalse();
        assertThat(removed.millis()).isGreaterThan(1500);
    }

    @Test
    void quickCheckWorksWhileTheAgentsPortIsTaken() throws Exception {
        startService();
        try (ServerSocket agent = takeAgentPort()) {
            Cli.Result r = cli.run("quickCheck", "-t", TAG);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
        }
    }

    private static ServerSocket takeAgentPort() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(new InetSocketAddress("0.0.0.0", 8686));
        } catch (IOException e) {
            s.close();
            return new ServerSocket(); // already taken by something else: the condition holds anyway
        }
        return s;
    }

    @Test
    void usageErrorsExit2WithOneLineAndAPointerToHelp() throws Exception {
        Cli.Result r = cli.run("restore");
        assertThat(r.exit()).isEqualTo(2);
        List<String> lines = r.err().lines().toList();
        assertThat(lines.get(0)).isEqualTo("hulft-ark: Missing required option: '--tag=TAG'");
        assertThat(lines).last().isEqualTo("Try 'hulft-ark restore --help' for more information.");
    }

    @Test
    void aGarbledSettingIsOneLine() throws Exception {
        cli.properties.put("hulftark.probe", "ping");
        Cli.Result r = cli.run("quickCheck", "-t", TAG);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).startsWith("hulft-ark: configuration error:").contains("hulftark.probe");
    }

    @Test
    void validateOfAGoodNodeExits0AndShowsThePlatformAndWhy() throws Exception {
        Cli.Result r = cli.run("validate", "-t", TAG);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("platform").contains("hulftark.platform=command")
                .contains("service name \"HULFT8 Service\"").contains("myhostname").doesNotContain("FAIL");
        assertThat(r.out().lines().skip(1)).allSatisfy(l -> assertThat(l).containsPattern(" (OK|WARN) "));
    }

    @Test
    void validateFailsOnAnUnknownTagAndOnPortsThatClash() throws Exception {
        Files.writeString(sim.confFile(), "rcvport=" + rcv + "\nobsport=" + rcv + "\nmyhostname=localhost\n");
        Cli.Result r = cli.run("validate", "-t", "nope");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("resource nope +FAIL")
                .containsPattern("ports +FAIL +rcvport and obsport are both " + rcv);
    }

    @Test
    void theKitDemoRunsEveryActionAsExpectedAndLeavesNothingBehind() throws Exception {
        Path demo = dir.resolve("demo dir");
        Cli.Result r = cli.run("demo", "--kit", "--dir", demo.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("1. restore", "fault: the HULFT service process is killed", "recover",
                "Every action ended as expected.");
        assertThat(r.out()).contains("51050005 ERROR HULFT8 Service is not running");
        assertThat(demo).doesNotExist();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a))
                .orElse("").contains(demo.toString())).toList()).isEmpty();
    }
}
