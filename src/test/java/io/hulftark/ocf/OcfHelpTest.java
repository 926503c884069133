package io.hulftark.ocf;

import io.hulftark.cli.Cli;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** 'hulft-ark ocf --help' describes the command: every action, every parameter of the model, every exit code. */
class OcfHelpTest {

    @Test
    void helpNamesEveryActionParameterAndCode() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Cli.execute(new String[] {"ocf", "--help"}, new PrintWriter(out), new PrintWriter(err), Map.of());

        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        String help = out.toString().replaceAll("\\s+", " ");
        assertThat(help).startsWith("The Pacemaker resource agent (OCF)").contains("Usage: hulft-ark ocf [-hV] [ACTION]");
        assertThat(help).contains("start", "stop", "monitor", "validate-all", "reload", "meta-data", "methods");
        OcfParameters.ALL.forEach(p -> assertThat(help).as(p.name()).containsPattern("OCF_RESKEY_" + p.name()
                + "\\b|, " + p.name() + "\\b"));
        for (OcfCode c : OcfCode.values()) {
            if (c != OcfCode.ERR_PERM) {
                assertThat(help).as(c.name()).containsPattern("\\b" + c.exit() + " [a-z]");
            }
        }
    }
}
