package io.hulftark.agent;

import io.hulftark.wire.Status;

import io.hulftark.agent.AgentFakes.FakeProbe;
import io.hulftark.agent.AgentFakes.FakeServices;
import io.hulftark.agent.AgentFakes.MutableClock;
import io.hulftark.hulft.ProbeResult;
import io.hulftark.kit.ServiceNames;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static io.hulftark.agent.AgentFakes.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class CheckerTest {

    private static final String TAG = "HULFT-1";
    private static final String SERVICE = "HULFT Service";

    @TempDir
    Path dir;

    private final FakeServices services = new FakeServices();
    private final FakeProbe probe = new FakeProbe();
    private final MutableClock clock = new MutableClock(T0);
    private Path conf;

    @BeforeEach
    void setUp() throws IOException {
        conf = AgentFakes.hulenv(dir, "rcvport=30000\nobsport=31000\nmyhostname=vip\n");
        probe.answer = port -> ProbeResult.success(port, Duration.ofNanos(port * 10L)); // 300 µs, 310 µs
    }

    private Checker checker(ResourceDirectory directory) {
        return new Checker(AgentFakes.parameters(conf), services, probe, directory, clock);
    }

    /** Service name configured, no LifeKeeper, nobody says whether it should run here. */
    private Checker configured() {
        return checker(new ResourceDirectory(Map.of(TAG, SERVICE), Optional.empty()));
    }

    private Checker lifeKeeper(String state) {
        return checker(new ResourceDirectory(Map.of(),
                Optional.of(tag -> new ServiceNames.Lookup.Found(SERVICE, state))));
    }

    @Test
    void running_and_every_port_answers() {
        services.set(SERVICE, ServiceState.RUNNING);
        CheckResult r = configured().check(TAG);

        assertThat(r.observed()).isEqualTo(Status.RUNNING);
        assertThat(r.tag()).isEqualTo(TAG);
        assertThat(r.service()).isEqualTo(SERVICE);
        assertThat(r.at()).isEqualTo(T0);
        assertThat(r.serviceState()).isEqualTo("RUNNING");
        assertThat(r.reason()).isEqualTo("running; every port answers");
        assertThat(r.ports()).extracting(PortCheck::key, PortCheck::port, PortCheck::ok, PortCheck::code,
                        PortCheck::latencyMicros)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("rcvport", 30000, true, "0", 300L),
                        org.assertj.core.groups.Tuple.tuple("obsport", 31000, true, "0", 310L));
        assertThat(probe.hosts).as("hulenv.cnf's myhostname is probed").containsOnly("vip");
        assertThat(r.durationMicros()).isNotNegative();
    }

    @Test
    void running_without_any_port_set_is_running() throws IOException {
        conf = AgentFakes.hulenv(dir, "# nothing set\n");
        services.set(SERVICE, ServiceState.RUNNING);
        CheckResult r = configured().check(TAG);
        assertThat(r.observed()).isEqualTo(Status.RUNNING);
        assertThat(r.ports()).isEmpty();
        assertThat(r.reason()).contains("no port is set");
    }

    @Test
    void one_port_failing_fails_naming_port_and_key() {
        services.set(SERVICE, ServiceState.RUNNING);
        probe.answer = port -> port == 31000
                ? ProbeResult.failure(port, "refused", Duration.ofMillis(1), "connection refused")
                : ProbeResult.success(port, Duration.ofMillis(1));
        CheckResult r = configured().check(TAG);

        assertThat(r.observed()).isEqualTo(Status.FAILED);
        assertThat(r.reason()).contains("31000").contains("obsport").contains("refused");
        assertThat(r.ports()).hasSize(2);
        assertThat(r.ports().get(0).ok()).isTrue();
        PortCheck failed = r.ports().get(1);
        assertThat(failed.ok()).isFalse();
        assertThat(failed.key()).isEqualTo("obsport");
        assertThat(failed.code()).isEqualTo("refused");
        assertThat(failed.detail()).isEqualTo("connection refused");
    }

    @Test
    void config_missing_fails() {
        services.set(SERVICE, ServiceState.RUNNING);
        conf = dir.resolve("no-such.cnf");
        CheckResult r = configured().check(TAG);
        assertThat(r.observed()).isEqualTo(Status.FAILED);
        assertThat(r.reason()).startsWith("the configuration cannot be read").contains("no-such.cnf");
        assertThat(probe.hosts).isEmpty();
    }

    @Test
    void config_garbled_fails() throws IOException {
        services.set(SERVICE, ServiceState.RUNNING);
        conf = AgentFakes.hulenv(dir, "rcvport=notaport\n");
        CheckResult r = configured().check(TAG);
        assertThat(r.observed()).isEqualTo(Status.FAILED);
        assertThat(r.reason()).startsWith("the configuration cannot be read");
        assertThat(r.serviceState()).isEqualTo("RUNNING");
        assertThat(probe.hosts).isEmpty();
    }

    @Test
    void config_not_set_fails() {
        services.set(SERVICE, ServiceState.RUNNING);
        conf = null;
        CheckResult r = configured().check(TAG);
        assertThat(r.observed()).isEqualTo(Status.FAILED);
        assertThat(r.reason()).contains("hulftark.conf-file is not set");
    }

    @Test
    void stopped_while_lifekeeper_has_it_in_service_fails() {
        services.set(SERVICE, ServiceState.STOPPED);
        CheckResult r = lifeKeeper("ISP").check(TAG);
        assertThat(r.observed()).isEqualTo(Status.FAILED);
        assertThat(r.role()).isEqualTo("active");
        assertThat(r.serviceState()).isEqualTo("STOPPED");
        assertThat(r.reason()).contains("expected to run on this node");
    }

    @Test
    void stopped_while_lifekeeper_has_it_out_of_service_is_a_standby() {
        services.set(SERVICE, ServiceState.STOPPED);
        CheckResult r = lifeKeeper("OSU").check(TAG);
        assertThat(r.observed()).isEqualTo(Status.STOPPED);
        assertThat(r.role()).isEqualTo("standby");
        assertThat(r.reason()).contains("standby");
    }

    @Test
    void running_under_lifekeeper_in_service_is_active() {
        services.set(SERVICE, ServiceState.RUNNING);
        CheckResult r = lifeKeeper("ISP").check(TAG);
        assertThat(r.observed()).isEqualTo(Status.RUNNING);
        assertThat(r.role()).isEqualTo("active");
    }

    @Test
    void not_installed_while_expected_fails() {
        CheckResult r = lifeKeeper("ISP").check(TAG);
        assertThat(r.observed()).isEqualTo(Status.FAILED);
        assertThat(r.serviceState()).isEqualTo("NOT_INSTALLED");
        assertThat(r.reason()).contains("not installed");
    }

    @Test
    void stopped_when_nobody_says_is_stopped_with_role_unknown() {
        services.set(SERVICE, ServiceState.STOPPED);
        CheckResult r = configured().check(TAG);
        assertThat(r.observed()).isEqualTo(Status.STOPPED);
        assertThat(r.role()).isEqualTo("unknown");
    }

    @ParameterizedTest
    @EnumSource(value = ServiceState.class, names = {"START_PENDING", "STOP_PENDING"})
    void pending_is_unknown(ServiceState pending) {
        services.set(SERVICE, pending);
        CheckResult r = lifeKeeper("ISP").check(TAG);
        assertThat(r.observed()).isEqualTo(Status.UNKNOWN);
        assertThat(r.serviceState()).isEqualTo(pending.name());
        assertThat(r.reason()).contains(pending == ServiceState.START_PENDING ? "start pending" : "stop pending");
        assertThat(probe.hosts).isEmpty();
    }

    @Test
    void platform_exception_is_unknown_with_the_reason() {
        services.error = new PlatformException("OpenService: access denied");
        CheckResult r = lifeKeeper("ISP").check(TAG);
        assertThat(r.observed()).isEqualTo(Status.UNKNOWN);
        assertThat(r.reason()).contains("cannot tell the service's state").contains("access denied");
        assertThat(r.service()).isEqualTo(SERVICE);
        assertThat(r.role()).isEqualTo("active");
    }

    @Test
    void no_service_name_is_unknown_with_the_directory_problem() {
        CheckResult r = checker(new ResourceDirectory(Map.of(), Optional.empty())).check(TAG);
        assertThat(r.observed()).isEqualTo(Status.UNKNOWN);
        assertThat(r.service()).isNull();
        assertThat(r.reason()).contains("hulftark.agent.service.\"" + TAG + "\"");
        assertThat(services.asked).isEmpty();
    }

    @Test
    void lifekeeper_without_the_resource_is_unknown() {
        CheckResult r = checker(new ResourceDirectory(Map.of(),
                Optional.of(tag -> new ServiceNames.Lookup.NoSuchResource("ins_list: none")))).check(TAG);
        assertThat(r.observed()).isEqualTo(Status.UNKNOWN);
        assertThat(r.reason()).contains("no resource " + TAG).contains("ins_list: none");
    }

    @Test
    void service_control_throwing_a_runtime_exception_is_unknown_never_thrown() {
        services.error = new IllegalStateException("boom");
        Checker c = lifeKeeper("ISP");
        assertThatNoException().isThrownBy(() -> c.check(TAG));
        CheckResult r = c.check(TAG);
        assertThat(r.observed()).isEqualTo(Status.UNKNOWN);
        assertThat(r.reason()).isEqualTo("the check failed: boom");
        assertThat(r.tag()).isEqualTo(TAG);
        assertThat(r.at()).isEqualTo(T0);
    }

    @Test
    void lookup_throwing_is_unknown_never_thrown() {
        Checker c = checker(new ResourceDirectory(Map.of(), Optional.of(tag -> {
            throw new IllegalStateException("ins_list crashed");
        })));
        CheckResult r = c.check(TAG);
        assertThat(r.observed()).isEqualTo(Status.UNKNOWN);
        assertThat(r.reason()).contains("ins_list crashed");
    }

    @Test
    void probe_throwing_is_a_failed_port_never_thrown() {
        // PortChecker turns a throwing probe into a failed result, so this is FAILED (the port), not UNKNOWN
        services.set(SERVICE, ServiceState.RUNNING);
        probe.answer = port -> {
            throw new IllegalStateException("probe exploded");
        };
        CheckResult r = configured().check(TAG);
        assertThat(r.observed()).isEqualTo(Status.FAILED);
        assertThat(r.ports()).allSatisfy(p -> {
            assertThat(p.ok()).isFalse();
            assertThat(p.code()).isEqualTo("error");
            assertThat(p.detail()).contains("probe exploded");
        });
        assertThat(r.reason()).contains("30000").contains("rcvport");
    }

    @Test
    void the_check_time_comes_from_the_clock() {
        services.set(SERVICE, ServiceState.STOPPED);
        Checker c = configured();
        clock.advance(Duration.ofMinutes(3));
        assertThat(c.check(TAG).at()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
    }
}
