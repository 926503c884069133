package io.hulftark.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** ctl's usage rules, in process: no fleet view is needed to refuse a bad command line. */
class CtlCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(args, new PrintWriter(out), new PrintWriter(err), env);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsEverySubcommandAndTheExitCodes() {
        Run r = run(Map.of(), "ctl", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("clusters", "cluster", "act", "action", "batch", "batch-status", "batch-pause",
                "batch-resume", "batch-cancel", "events", "inventory");
        assertThat(r.out()).contains("Exit codes:").containsPattern("(?m)^\\s+7\\s+--wait ran out of time");
    }

    @Test
    void theTokenIsNeverAnOptionAndNeverEchoed() {
        Run r = run(Map.of(), "ctl", "clusters", "--token", "hak_secret-value-0123456789");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--token is not an option").doesNotContain("hak_secret-value");
        assertThat(r.out()).doesNotContain("hak_secret-value");
    }

    @Test
    void aUrlWithUserInfoIsRefused() {
        Run r = run(Map.of(), "ctl", "clusters", "--url", "http://alice:pw@127.0.0.1:1");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("must not hold a user or password").doesNotContain("alice:pw");
        r = run(Map.of("HULFTARK_URL", "http://bob:pw@127.0.0.1:1"), "ctl", "clusters");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("HULFTARK_URL: the URL must not hold a user or password");
    }

    @Test
    void aFleetViewThatIsNotThereIsExit6() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = run(Map.of("HULFTARK_URL", "http://127.0.0.1:" + port, "HULFTARK_TOKEN", "x"), "ctl", "clusters");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err().strip()).isEqualTo("hulft-ark ctl: cannot reach the fleet view at http://127.0.0.1:" + port
                + ": connection refused");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run(Map.of(), "ctl", "clusters", "--sort", "size").err()).contains("--sort takes problem, name or since");
        assertThat(run(Map.of(), "ctl", "clusters", "--label", "Site=osaka").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run(Map.of(), "ctl", "act", "c1", "reboot").err()).contains("ACTION must be one of");
        assertThat(run(Map.of(), "ctl", "act", "c1", "restore", "--timeout", "soon").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run(Map.of(), "ctl", "batch", "quickCheck").err()).contains("say which clusters");
        assertThat(run(Map.of(), "ctl", "batch", "quickCheck", "--all", "--concurrency", "51").err())
                .contains("--concurrency must be from 1 to 50");
        assertThat(run(Map.of(), "ctl", "events", "--kind", "BOOT").err()).contains("--kind takes one of");
        assertThat(run(Map.of(), "ctl", "clusters", "--token-env", "A B").err()).contains("--token-env takes the name");
        assertThat(run(Map.of(), "ctl", "inventory", "--sort", "size").err())
                .contains("--sort takes cluster, node, agentVersion, os, jvm, lifekeeper, receivedAt, not 'size'");
        assertThat(run(Map.of(), "ctl", "inventory", "--label", "Site=osaka").code()).isEqualTo(ExitCodes.USAGE);
    }
}
