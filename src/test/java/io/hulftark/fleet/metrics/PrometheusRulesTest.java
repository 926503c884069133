package io.hulftark.fleet.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/prometheus and deploy/grafana as Prometheus and Grafana take them, checked by Prometheus's own promtool
 * (Debian's prometheus; .ci/run installs it): the rules load, their unit tests (clusters going DOWN, SPLIT, STALE and
 * back, DEGRADED for long, a node silent, the fleet view down or refusing reports) pass, the example config loads, and
 * every dashboard query is PromQL. That each metric they use is served is {@link FleetMetricsTest}'s part.
 */
class PrometheusRulesTest {

    @TempDir
    Path tmp;

    static String promtool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not end within 60 s");
        }
        assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }

    @Test
    void theRulesLoadAndEveryAlertHasASeverityASummaryAndARunbook() throws Exception {
        assertThat(promtool(Path.of("."), "check", "rules", MonitoringFiles.RULES.toString()))
                .contains("SUCCESS: 12 rules found");
        JsonNode rules = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(MonitoringFiles.RULES.toFile());
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String name = rule.get("alert").asText();
                assertThat(rule.at("/labels/severity").asText()).as(name).isIn("critical", "warning");
                assertThat(rule.at("/annotations/summary").asText()).as(name).isNotBlank();
                assertThat(rule.at("/annotations/runbook").asText()).as(name).isNotBlank();
            }
        }
    }

    @Test
    void theRulesUnitTestsPass() throws Exception {
        assertThat(promtool(MonitoringFiles.RULE_TESTS.getParent(), "test", "rules",
                MonitoringFiles.RULE_TESTS.getFileName().toString())).contains("SUCCESS");
    }

    /** The unit tests can fail: an alert that waits longer than they expect is caught. */
    @Test
    void aRuleThatAlertsLaterFailsItsUnitTest() throws Exception {
        String rules = Files.readString(MonitoringFiles.RULES);
        Files.writeString(tmp.resolve("hulft-ark-fleet.rules.yml"), rules.replaceFirst("for: 1m", "for: 5m"));
        Files.copy(MonitoringFiles.RULE_TESTS, tmp.resolve("hulft-ark-fleet.rules.test.yml"));
        Process p = new ProcessBuilder("promtool", "test", "rules", "hulft-ark-fleet.rules.test.yml")
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(out).contains("alertname: HulftArkClusterDown");
    }

    /** Drift and readiness (issue 13): their unit tests catch an alert that ignores acknowledgements too. */
    @Test
    void aDriftRuleThatIgnoresAcknowledgementsFailsItsUnitTest() throws Exception {
        String rules = Files.readString(MonitoringFiles.RULES);
        String drift = "max without (instance, pod) (hulftark_fleet_cluster_drift) > 0\n"
                + "            unless on (cluster) (hulftark_fleet_cluster_acknowledged or "
                + "hulftark_fleet_cluster_in_maintenance)";
        assertThat(rules).contains(drift);
        Files.writeString(tmp.resolve("hulft-ark-fleet.rules.yml"), rules.replace(drift,
                "max without (instance, pod) (hulftark_fleet_cluster_drift) > 0"));
        Files.copy(MonitoringFiles.RULE_TESTS, tmp.resolve("hulft-ark-fleet.rules.test.yml"));
        Process p = new ProcessBuilder("promtool", "test", "rules", "hulft-ark-fleet.rules.test.yml")
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(out).contains("alertname: HulftArkClusterDrift");
    }

    /** The runbook of a configuration alert says where to look and what to run, with the cluster's name. */
    @Test
    void theDriftAndReadinessRunbooksNameTheCommandsAndTheSettingsTable() throws Exception {
        JsonNode rules = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(MonitoringFiles.RULES.toFile());
        List<String> names = new ArrayList<>();
        for (JsonNode group : rules.get("groups")) {
            if (group.get("name").asText().equals("hulft-ark-drift")) {
                for (JsonNode rule : group.get("rules")) {
                    names.add(rule.get("alert").asText());
                    assertThat(rule.get("for").asText()).isEqualTo("15m");
                    assertThat(rule.at("/labels/severity").asText()).isEqualTo("warning");
                    assertThat(rule.at("/annotations/runbook").asText()).contains(
                            "hulft-ark ctl cluster {{ $labels.cluster }}", "settings table", "hulft-ark validate");
                }
            }
        }
        assertThat(names).containsExactly("HulftArkClusterDrift", "HulftArkStandbyNotReady");
    }

    @Test
    void theExampleConfigLoadsWithTheRules() throws Exception {
        assertThat(promtool(MonitoringFiles.CONFIG.getParent(), "check", "config",
                MonitoringFiles.CONFIG.getFileName().toString())).contains("is valid prometheus config file syntax");
        assertThat(Files.readString(MonitoringFiles.CONFIG)).contains("job_name: hulft-ark-fleet",
                "metrics_path: /q/metrics", "9690");
    }

    @Test
    void theDashboardIsJsonAndEveryQueryIsPromql() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(MonitoringFiles.DASHBOARD.toFile());
        assertThat(dashboard.get("uid").asText()).isEqualTo("hulft-ark-fleet");
        List<String> titles = new ArrayList<>();
        dashboard.get("panels").forEach(p -> titles.add(p.get("type").asText() + ": " + p.get("title").asText()));
        assertThat(titles).contains("state-timeline: State per cluster", "timeseries: Clusters per state",
                "timeseries: Reports taken per second", "timeseries: Reports not taken per second, by reason",
                "table: Drift and failover readiness");
        // promtool parses each query as a recording rule: a typo in PromQL fails here, not on a screen.
        StringBuilder asRules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (String expr : MonitoringFiles.dashboardExpressions()) {
            asRules.append("      - record: dashboard:query").append(i++).append("\n        expr: ")
                    .append(new ObjectMapper().writeValueAsString(expr)).append('\n');
        }
        Files.writeString(tmp.resolve("dashboard.rules.yml"), asRules);
        assertThat(promtool(tmp, "check", "rules", "dashboard.rules.yml")).contains("SUCCESS: " + i + " rules found");
    }

    @Test
    void theMetricNamesOfAnExpressionAreFound() {
        assertThat(MonitoringFiles.metricNames(List.of(
                "max without (instance, pod) (hulftark_fleet_cluster_state{state=\"DOWN\"}) unless on (cluster) "
                        + "(hulftark_fleet_cluster_acknowledged or hulftark_fleet_cluster_in_maintenance)",
                "sum by (outcome) (rate(hulftark_fleet_reports_total[5m])) > 0.1",
                "time() - max(up{job=\"x\"})")))
                .containsExactly("hulftark_fleet_cluster_acknowledged", "hulftark_fleet_cluster_in_maintenance",
                        "hulftark_fleet_cluster_state", "hulftark_fleet_reports_total", "up");
    }
}
