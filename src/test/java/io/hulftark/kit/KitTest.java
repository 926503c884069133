package io.hulftark.kit;

import io.hulftark.kit.Fakes.FakeRunner;
import io.hulftark.kit.Fakes.FakeServices;
import io.hulftark.kit.Fakes.FakeTiming;
import io.hulftark.kit.Fakes.Messages;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.hulftark.kit.Fakes.exit;
import static io.hulftark.kit.Fakes.hung;
import static org.assertj.core.api.Assertions.assertThat;

/** Every step of spec 5.1–5.4 against fakes of the platform, with a clock that never sleeps. */
class KitTest {

    static final String SERVICE = "HULFT8 Service";
    static final String TAG = "hulft-tag";

    @TempDir
    Path dir;
    Path bin;
    Path conf;
    final FakeServices services = new FakeServices();
    final FakeRunner runner = new FakeRunner();
    final FakeTiming timing = new FakeTiming();
    final Messages messages = new Messages();
    ServiceNames names = tag -> tag.equals(TAG) ? new ServiceNames.Lookup.Found(SERVICE)
            : new ServiceNames.Lookup.NoSuchResource("no " + tag);
    ActionLocks locks = ActionLocks.NONE;
    int retries = 2;
    boolean forceRemove = true;
    Duration timeout = Duration.ofSeconds(300);
    Optional<Path> exePath;
    Optional<Path> confFile;

    @BeforeEach
    void installation() throws IOException {
        bin = Files.createDirectories(dir.resolve("HULFT Family/hulft8/bin"));
        for (String tool : List.of("utlsvcctl", "utlalivecheck")) {
            Path f = Files.writeString(bin.resolve(tool), "#!/bin/sh\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        conf = Files.writeString(dir.resolve("hulenv.cnf"), "rcvport=30000\nobsport = 31000\nmyhostname=vhost\n");
        exePath = Optional.of(bin);
        confFile = Optional.of(conf);
        runner.timing = timing;
        // By default the commands do what they say.
        runner.always("utlsvcctl", argv -> {
            services.state = argv.get(2).equals("start") ? ServiceState.RUNNING : ServiceState.STOPPED;
            return exit(0);
        });
        runner.always("utlalivecheck", argv -> exit(0));
    }

    int run(Action action) {
        KitParameters p = new KitParameters(exePath, confFile, true, retries, timeout, forceRemove,
                KitParameters.ProbeKind.UTLALIVECHECK, Optional.empty(), Duration.ofSeconds(60),
                Duration.ofSeconds(15), false);
        return new Kit(p, names, services, runner, locks, messages, timing).run(action, TAG);
    }

    List<String> svcctl() {
        return runner.callsOf("utlsvcctl").stream().map(c -> c.get(2)).toList();
    }

    // ---- restore (5.1) ----

    @Test
    void restoreStartsAStoppedServiceAndChecksEveryPortThatIsSet() {
        assertThat(run(Action.RESTORE)).isZero();
        assertThat(runner.callsOf("utlsvcctl")).containsExactly(List.of(bin.resolve("utlsvcctl").toString(), "-c", "start"));
        assertThat(runner.callsOf("utlalivecheck")).containsExactlyInAnyOrder(
                List.of(bin.resolve("utlalivecheck").toString(), "-h", "vhost", "-p", "30000", "-w", "10"),
                List.of(bin.resolve("utlalivecheck").toString(), "-h", "vhost", "-p", "31000", "-w", "10"));
        assertThat(messages.codes()).isEmpty();
    }

    @Test
    void restoreOfARunningServiceEndsAtStep4() {
        services.state = ServiceState.RUNNING;
        assertThat(run(Action.RESTORE)).isZero();
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void startFailingEveryTimeIsTriedRetriesPlusOneTimesAndReportedOnce() {
        runner.always("utlsvcctl", argv -> exit(8));
        assertThat(run(Action.RESTORE)).isEqualTo(1);
        assertThat(svcctl()).containsExactly("start", "start", "start");
        assertThat(messages.codes()).containsExactly(51050102, 51050102, 51050004);
        assertThat(messages.lines).contains("51050004 ERROR Failed to start HULFT8 Service (code = 8)");
        assertThat(runner.callsOf("utlalivecheck")).isEmpty();
    }

    @Test
    void retriesZeroMeansOneAttempt() {
        retries = 0;
        runner.always("utlsvcctl", argv -> exit(8));
        assertThat(run(Action.RESTORE)).isEqualTo(1);
        assertThat(svcctl()).containsExactly("start");
    }

    @Test
    void aStartThatSucceedsOnTheSecondAttemptIsASuccess() {
        runner.answer("utlsvcctl", argv -> exit(8));
        assertThat(run(Action.RESTORE)).isZero();
        assertThat(svcctl()).containsExactly("start", "start");
        assertThat(messages.codes()).containsExactly(51050102);
        assertThat(timing.sleeps).isNotEmpty().allMatch(d -> d.compareTo(Duration.ofSeconds(5)) <= 0);
    }

    @Test
    void serviceNotRunningAfterItsStartIsStep6() {
        runner.always("utlsvcctl", argv -> exit(0)); // says yes, starts nothing
        assertThat(run(Action.RESTORE)).isEqualTo(1);
        assertThat(messages.codes()).containsExactly(51050102, 51050102, 51050005);
        assertThat(messages.lines).contains("51050005 ERROR HULFT8 Service is not running");
    }

    @Test
    void aStartPendingServiceIsWaitedOnWithBackOff() {
        runner.always("utlsvcctl", argv -> {
            services.scripted.addAll(List.of(ServiceState.START_PENDING, ServiceState.START_PENDING,
                    ServiceState.START_PENDING));
            services.state = ServiceState.RUNNING;
            return exit(0);
        });
        assertThat(run(Action.RESTORE)).isZero();
        assertThat(timing.sleeps).containsExactly(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80));
    }

    @Test
    void aGarbledConfigFileIsStep7() throws IOException {
        Files.writeString(conf, "rcvport=30x00\n");
        assertThat(run(Action.RESTORE)).isEqualTo(1);
        assertThat(messages.codes()).containsExactly(51050006, 51050106);
        assertThat(messages.lines.get(1)).contains("line 1").contains("rcvport");
    }

    @Test
    void aPortThatDoesNotAnswerIsRetriedAloneThenReported() {
        runner.always("utlalivecheck", argv -> exit(argv.get(4).equals("31000") ? 8 : 0));
        assertThat(run(Action.RESTORE)).isEqualTo(1);
        assertThat(runner.callsOf("utlalivecheck").stream().map(c -> c.get(4)).toList())
                .containsExactlyInAnyOrder("30000", "31000", "31000", "31000");
        assertThat(messages.lines).contains(
                "51050007 ERROR Failed to check the port used by HULFT8 Service (port = 31000, code = 8)");
        assertThat(messages.codes()).containsExactly(51050102, 51050102, 51050007);
    }

    @Test
    void aPortThatIsNotSetIsNotChecked() throws IOException {
        Files.writeString(conf, "sddport=30500\n");
        assertThat(run(Action.RESTORE)).isZero();
        assertThat(runner.callsOf("utlalivecheck")).singleElement()
                .satisfies(c -> assertThat(c).containsSequence("-h", "localhost", "-p", "30500"));
    }

    @Test
    void aStartThatHangsPastTheTimeoutEndsTheAction() {
        timeout = Duration.ofSeconds(30);
        runner.always("utlsvcctl", argv -> hung());
        assertThat(run(Action.RESTORE)).isEqualTo(1);
        assertThat(messages.codes()).containsExactly(51050103, 51050101);
        assertThat(messages.lines.get(messages.lines.size() - 1))
                .isEqualTo("51050101 ERROR The restore of HULFT8 Service did not end within LKHULFT_TIMEOUT = 30 s and was stopped");
        assertThat(svcctl()).hasSize(1);
    }

    @Test
    void aStateThatCannotBeToldFailsTheAction() {
        services.stateError = new PlatformException("the status command exited with 7");
        assertThat(run(Action.RESTORE)).isEqualTo(1);
        assertThat(messages.lines).contains("51050104 ERROR Cannot tell the state of HULFT8 Service: the status command exited with 7");
    }

    @Test
    void aServiceThatIsNotInstalledIsNotStarted() {
        services.state = ServiceState.NOT_INSTALLED;
        assertThat(run(Action.RESTORE)).isEqualTo(1);
        assertThat(messages.codes()).containsExactly(51050109);
        assertThat(runner.calls).isEmpty();
    }

    // ---- quickCheck (5.3) ----

    @Test
    void quickCheckOfAHealthyServiceRunsNoServiceCommand() {
        services.state = ServiceState.RUNNING;
        assertThat(run(Action.QUICK_CHECK)).isZero();
        assertThat(runner.callsOf("utlsvcctl")).isEmpty();
        assertThat(runner.callsOf("utlalivecheck")).hasSize(2);
    }

    @Test
    void quickCheckOfAStoppedServiceFails() {
        assertThat(run(Action.QUICK_CHECK)).isEqualTo(1);
        assertThat(messages.lines).containsExactly("51050005 ERROR HULFT8 Service is not running");
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void quickCheckWithAnUnreadableConfigFails() throws IOException {
        services.state = ServiceState.RUNNING;
        Files.delete(conf);
        assertThat(run(Action.QUICK_CHECK)).isEqualTo(1);
        assertThat(messages.codes()).containsExactly(51050018);
    }

    // ---- remove (5.2) ----

    @Test
    void removeChangesAnAutomaticStartTypeToDemandThenStops() {
        services.state = ServiceState.RUNNING;
        services.startType = StartType.AUTO;
        assertThat(run(Action.REMOVE)).isZero();
        assertThat(services.setDemandCalls).isEqualTo(1);
        assertThat(messages.lines).containsExactly("51050000 WARN HULFT8 Service : Changed the startup type to demand");
        assertThat(svcctl()).containsExactly("stop");
    }

    @Test
    void removeLeavesADemandStartTypeAlone() {
        services.state = ServiceState.RUNNING;
        assertThat(run(Action.REMOVE)).isZero();
        assertThat(services.setDemandCalls).isZero();
        assertThat(messages.codes()).isEmpty();
    }

    @Test
    void removeOfAStoppedServiceRunsNoStop() {
        assertThat(run(Action.REMOVE)).isZero();
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void removeDoesNotNeedTheConfigFile() throws IOException {
        Files.delete(conf);
        services.state = ServiceState.RUNNING;
        assertThat(run(Action.REMOVE)).isZero();
        assertThat(svcctl()).containsExactly("stop");
    }

    @Test
    void aFailedStopIsForcedToSuccessByDefault() {
        services.state = ServiceState.RUNNING;
        runner.always("utlsvcctl", argv -> exit(5));
        assertThat(run(Action.REMOVE)).isZero();
        assertThat(svcctl()).containsExactly("stop", "stop", "stop");
        assertThat(messages.lines).endsWith("51050002 ERROR Failed to stop HULFT8 Service (code = 5)",
                "51050019 WARN Forced the remove process to end normally according to the \"LKHULFT_FORCE_REMOVE\" parameter.");
    }

    @Test
    void aFailedStopFailsTheRemoveWithoutForce() {
        forceRemove = false;
        services.state = ServiceState.RUNNING;
        runner.always("utlsvcctl", argv -> exit(5));
        assertThat(run(Action.REMOVE)).isEqualTo(1);
        assertThat(messages.codes()).doesNotContain(51050019).endsWith(51050002);
    }

    @Test
    void aServiceStillRunningAfterItsStopIsStep7() {
        forceRemove = false;
        services.state = ServiceState.RUNNING;
        runner.always("utlsvcctl", argv -> exit(0));
        assertThat(run(Action.REMOVE)).isEqualTo(1);
        assertThat(messages.lines).last().isEqualTo("51050110 ERROR HULFT8 Service is still RUNNING after it was stopped");
    }

    @Test
    void aStartTypeThatCannotBeChangedIsReportedAndTheStopGoesOn() {
        services.state = ServiceState.RUNNING;
        services.startType = StartType.DISABLED;
        services.setDemandError = new PlatformException("access denied");
        assertThat(run(Action.REMOVE)).isZero();
        assertThat(messages.codes()).containsExactly(51050102, 51050102, 51050107);
        assertThat(svcctl()).containsExactly("stop");
    }

    // ---- recover (5.4) ----

    @Test
    void recoverRemovesThenRestores() {
        services.state = ServiceState.RUNNING;
        assertThat(run(Action.RECOVER)).isZero();
        assertThat(svcctl()).containsExactly("stop", "start");
        assertThat(runner.callsOf("utlalivecheck")).hasSize(2);
    }

    @Test
    void recoverWithAFailedStopAndNoForceDoesNotRestore() {
        forceRemove = false;
        services.state = ServiceState.RUNNING;
        runner.always("utlsvcctl", argv -> exit(5));
        assertThat(run(Action.RECOVER)).isEqualTo(1);
        assertThat(svcctl()).containsOnly("stop");
    }

    // ---- steps 1-2 and parameters ----

    @Test
    void anUnknownTagEndsWithExit0() {
        names = tag -> new ServiceNames.Lookup.NoSuchResource("none");
        for (Action a : List.of(Action.RESTORE, Action.REMOVE, Action.QUICK_CHECK, Action.RECOVER)) {
            assertThat(run(a)).as(a.word()).isZero();
        }
        assertThat(messages.lines).containsOnly("51050008 ERROR Failed to get transport name for hulft-tag");
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void aResourceWithoutServiceNameEndsWithExit0() {
        names = tag -> new ServiceNames.Lookup.NoServiceName("empty info");
        assertThat(run(Action.RESTORE)).isZero();
        assertThat(messages.lines).containsExactly("51050009 ERROR Failed to get transport name for hulft-tag");
    }

    @Test
    void aLookupThatCannotRunIsAFailure() {
        names = tag -> new ServiceNames.Lookup.Failed("ins_list did not answer");
        assertThat(run(Action.QUICK_CHECK)).isEqualTo(1);
        assertThat(messages.codes()).containsExactly(51050111);
    }

    @Test
    void deepCheckIsRefused() {
        assertThat(run(Action.DEEP_CHECK)).isEqualTo(1);
        assertThat(messages.lines).containsExactly("51050015 ERROR deepCheck is not supported.");
    }

    @Test
    void unsetPathsAre51050016() {
        exePath = Optional.empty();
        assertThat(run(Action.RESTORE)).isEqualTo(1);
        assertThat(messages.lines).containsExactly("51050016 ERROR Please change exe_path and conf_file of hulft_generic_ark.pl.");
    }

    @Test
    void aMissingBinFolderIs51050017() {
        exePath = Optional.of(dir.resolve("nowhere"));
        assertThat(run(Action.QUICK_CHECK)).isEqualTo(1);
        assertThat(messages.lines).containsExactly("51050017 ERROR The exe_path is incorrect or inaccessible. "
                + "Please specify the correct path (exe_path = " + dir.resolve("nowhere") + ")");
    }

    @Test
    void aMissingConfigFileIs51050018() {
        confFile = Optional.of(dir.resolve("missing.cnf"));
        assertThat(run(Action.RESTORE)).isEqualTo(1);
        assertThat(messages.codes()).containsExactly(51050018);
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void aBusyLockFailsTheActionWithinItsTimeout() {
        locks = (tag, bound) -> {
            throw new ActionLocks.Busy("held by pid 42");
        };
        assertThat(run(Action.RESTORE)).isEqualTo(1);
        assertThat(messages.codes()).containsExactly(51050105);
        assertThat(runner.calls).isEmpty();
    }
}
