package io.hulftark.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** `ctl cluster NAME` shows what differs between the nodes and each node's failing preflight rows (issue 13). */
class RenderClusterDriftTest {

    static String render(String json) throws Exception {
        JsonNode detail = new ObjectMapper().readTree(json);
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            Render.cluster(detail, out);
        }
        return text.toString();
    }

    @Test
    void driftLinesAndFailingPreflightRowsAreShown() throws Exception {
        String out = render("""
                {"cluster": {"name": "c1", "state": "DEGRADED", "reason": "x", "serving": [], "labels": {}},
                 "problems": ["LKHULFT_TIMEOUT: 300 on n1, 60 on n2"],
                 "warnings": [],
                 "drift": [{"tag": "HULFT", "key": "LKHULFT_TIMEOUT", "values": {"n1": "300", "n2": "60"}}],
                 "nodes": [
                   {"node": "n1", "fresh": true, "resources": [], "labels": {},
                    "facts": {"digest": "a", "resources": [{"tag": "HULFT", "preflight": [
                      {"check": "exe_path", "result": "OK"}]}]}},
                   {"node": "n2", "fresh": true, "resources": [], "labels": {},
                    "facts": {"digest": "b", "resources": [{"tag": "HULFT", "preflight": [
                      {"check": "conf_file", "result": "FAIL", "detail": "E:\\\\hulenv.cnf is not readable"},
                      {"check": "service", "result": "WARN", "detail": "slow"}]}]}}],
                 "acknowledgements": [], "maintenance": [], "history": []}
                """);
        assertThat(out).contains("Drift (settings that differ between the nodes):\n  HULFT LKHULFT_TIMEOUT: 300 on n1, 60 on n2\n");
        assertThat(out).contains("Failing preflight rows");
        assertThat(out).containsPattern("n2\\s+HULFT\\s+conf_file\\s+E:\\\\hulenv.cnf is not readable");
        assertThat(out).doesNotContain("exe_path").doesNotContain("slow");
        assertThat(out).doesNotContain("Warnings");
    }

    @Test
    void aClusterWithoutDriftOrFactsShowsNeither() throws Exception {
        String out = render("""
                {"cluster": {"name": "c1", "state": "OK", "reason": "n1 serves HULFT", "serving": [], "labels": {}},
                 "problems": [], "warnings": ["failover to n2 would fail: service: not installed"], "drift": [],
                 "nodes": [{"node": "n1", "fresh": true, "resources": [], "labels": {}}],
                 "acknowledgements": [], "maintenance": [], "history": []}
                """);
        assertThat(out).doesNotContain("Drift").doesNotContain("Failing preflight rows");
        assertThat(out).contains("Warnings (hulftark.fleet.readiness.effect=warn):\n"
                + "  failover to n2 would fail: service: not installed\n");
    }
}
