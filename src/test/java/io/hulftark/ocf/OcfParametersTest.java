package io.hulftark.ocf;

import io.hulftark.kit.KitParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** OCF_RESKEY_* read and checked by the one parameter model: every bad value is one line naming it. */
class OcfParametersTest {

    static Map<String, String> good() {
        Map<String, String> env = new HashMap<>();
        env.put("OCF_RESOURCE_INSTANCE", "hulft");
        env.put("OCF_RESKEY_service", "hulft8");
        env.put("OCF_RESKEY_exe_path", "/usr/local/HULFT/bin");
        env.put("OCF_RESKEY_conf_file", "/hulft/etc/hulenv.cnf");
        return env;
    }

    static OcfSettings settings(Map<String, String> env) {
        OcfParameters.Read r = OcfParameters.read(env);
        assertThat(r).isInstanceOf(OcfParameters.Read.Good.class);
        return ((OcfParameters.Read.Good) r).settings();
    }

    static String problem(Map<String, String> env) {
        OcfParameters.Read r = OcfParameters.read(env);
        assertThat(r).isInstanceOf(OcfParameters.Read.Bad.class);
        return ((OcfParameters.Read.Bad) r).problem();
    }

    @Test
    void theRequiredThreeAndEveryDefaultFromTheModel() {
        OcfSettings s = settings(good());

        assertThat(s.service()).isEqualTo("hulft8");
        assertThat(s.exePath()).isEqualTo(Path.of("/usr/local/HULFT/bin"));
        assertThat(s.confFile()).isEqualTo(Path.of("/hulft/etc/hulenv.cnf"));
        assertThat(s.tag()).as("the lock is named after the resource").isEqualTo("hulft");
        assertThat(s.retries()).isEqualTo(KitParameters.DEFAULT_RETRIES)
                .isEqualTo(Integer.parseInt(OcfParameters.named("retries").defaultValue().orElseThrow()));
        assertThat(s.probe()).isEqualTo(KitParameters.ProbeKind.UTLALIVECHECK);
        assertThat(s.probeHost()).isEmpty();
        assertThat(s.commandTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(s.probeTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.debug()).isFalse();
        assertThat(s.actionTimeout()).as("no operation timeout: LKHULFT_TIMEOUT's default")
                .isEqualTo(KitParameters.DEFAULT_TIMEOUT);
        assertThat(s.kitParameters(false).forceRemove()).as("a failed stop is never forced to success").isFalse();
    }

    @Test
    void everyOptionalParameterIsTaken() {
        Map<String, String> env = good();
        env.put("OCF_RESKEY_tag", "HULFT-1");
        env.put("OCF_RESKEY_retries", "0");
        env.put("OCF_RESKEY_probe", "tcp");
        env.put("OCF_RESKEY_probe_host", "hulft-vip");
        env.put("OCF_RESKEY_command_timeout", "30");
        env.put("OCF_RESKEY_probe_timeout", "5");
        env.put("OCF_RESKEY_debug", "YES");
        env.put("OCF_RESKEY_CRM_meta_timeout", "60000");
        env.put("OCF_RESKEY_CRM_meta_interval", "30000");
        env.put("OCF_RESKEY_crm_feature_set", "3.17.4");

        OcfSettings s = settings(env);

        assertThat(s).isEqualTo(new OcfSettings("hulft", "hulft8", Path.of("/usr/local/HULFT/bin"),
                Path.of("/hulft/etc/hulenv.cnf"), "HULFT-1", 0, KitParameters.ProbeKind.TCP, Optional.of("hulft-vip"),
                Duration.ofSeconds(30), Duration.ofSeconds(5), true, Duration.ofSeconds(55)));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            service         | NULL          | OCF_RESKEY_service is not set
            exe_path        | NULL          | OCF_RESKEY_exe_path is not set
            conf_file       | NULL          | OCF_RESKEY_conf_file is not set
            service         | -hulft8       | OCF_RESKEY_service="-hulft8": must not start with "-"
            exe_path        | bin           | OCF_RESKEY_exe_path="bin": must be an absolute path
            conf_file       | etc/hulenv.cnf| OCF_RESKEY_conf_file="etc/hulenv.cnf": must be an absolute path
            retries         | many          | OCF_RESKEY_retries="many": must be a whole number from 0 to 100
            retries         | 101           | OCF_RESKEY_retries="101": must be a whole number from 0 to 100
            retries         | -1            | OCF_RESKEY_retries="-1": must be a whole number from 0 to 100
            probe           | ping          | OCF_RESKEY_probe="ping": must be one of utlalivecheck, tcp
            probe_host      | a b           | OCF_RESKEY_probe_host="a b": must be one word
            command_timeout | 0             | OCF_RESKEY_command_timeout="0": must be a whole number from 1 to 86400
            probe_timeout   | 10s           | OCF_RESKEY_probe_timeout="10s": must be a whole number from 1 to 86400
            debug           | maybe         | OCF_RESKEY_debug="maybe": must be true or false
            tag             | '  '          | OCF_RESKEY_tag="  ": must not be blank
            CRM_meta_timeout| soon          | OCF_RESKEY_CRM_meta_timeout="soon": not a number of milliseconds
            exepath         | /opt          | unknown parameter OCF_RESKEY_exepath (the agent takes service, exe_path
            """)
    void aBadValueIsOneLineNamingIt(String name, String value, String expected) {
        Map<String, String> env = good();
        if (value == null) {
            env.remove("OCF_RESKEY_" + name);
        } else {
            env.put("OCF_RESKEY_" + name, value);
        }

        String problem = problem(env);

        assertThat(problem).startsWith(expected).doesNotContain("\n");
    }

    @Test
    void controlCharactersAreShownEscapedNeverPassedOn() {
        Map<String, String> env = good();
        env.put("OCF_RESKEY_service", "hulft8\nrm -rf /");

        assertThat(problem(env)).isEqualTo("OCF_RESKEY_service=\"hulft8\\x0arm -rf /\": "
                + "must not hold control characters (line breaks, tabs, NUL)");
    }

    @Test
    void withoutTagOrResourceNameThereIsNoLockToTake() {
        Map<String, String> env = good();
        env.remove("OCF_RESOURCE_INSTANCE");

        assertThat(problem(env)).startsWith("OCF_RESKEY_tag is not set and neither is OCF_RESOURCE_INSTANCE");
    }

    @ParameterizedTest(name = "operation timeout {0} ms: the kit has {1} s")
    @CsvSource({"20000, 15", "300000, 295", "5500, 1", "1000, 1"})
    void theKitEndsItsActionBeforePacemakerGivesUp(String ms, long seconds) {
        assertThat(OcfParameters.actionTimeout(ms)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void anEmptyValueIsUnset() {
        Map<String, String> env = good();
        env.put("OCF_RESKEY_retries", "");

        assertThat(settings(env).retries()).isEqualTo(KitParameters.DEFAULT_RETRIES);
    }
}
