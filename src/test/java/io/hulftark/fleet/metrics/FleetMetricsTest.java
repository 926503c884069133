package io.hulftark.fleet.metrics;

import io.hulftark.wire.Status;
import io.hulftark.http.security.ReporterScope;
import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;
import io.hulftark.app.Management;
import io.hulftark.app.Promtool;
import io.hulftark.contract.Contract;
import io.hulftark.fleet.api.FleetProfile;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running fleet view's /q/metrics (its management interface) after real reports, an acknowledgement, a window
 * and refused reports over HTTP: the clusters' series, the refusals counted by reason, and every metric that the
 * alert rules and the Grafana dashboard use is served.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
class FleetMetricsTest {

    static final String API = "/api/v1/fleet";

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    /**
     * The scrape, with the per-cluster series' {@code label_*} labels left out: other tests of this profile's store
     * give their clusters labels, and then every cluster's series carries each label name (empty where not set).
     */
    static String scrape() {
        return given().get(Management.url("/q/metrics")).then().statusCode(200).extract().asString()
                .replaceAll("label_[a-z0-9_]+=\"(?:[^\"\\\\]|\\\\.)*\",", "");
    }

    static Report report(String cluster, String node, long seq, Status status) {
        Instant now = Instant.now();
        return new Report(cluster, node, "test", now.minusSeconds(60), seq, now,
                List.of(new Report.Resource("HULFT", "HULFT8", status, status == Status.RUNNING ? "active" : "standby",
                        now, status + " for the test", now,
                        List.of(new Report.Port("port", 30000, status == Status.RUNNING, 90, null)))), List.of(), 0);
    }

    /** Facts with the given LifeKeeper defaults, and a failing conf_file row when {@code failing}. */
    static NodeFacts facts(String digestChar, String timeout, String retries, boolean failing) {
        return new NodeFacts(digestChar.repeat(64), Instant.now(), "it", "Linux", "6.1", "17", "h", "linux", true,
                null, List.of(new NodeFacts.ResourceFacts("HULFT", Map.of("LKHULFT_TIMEOUT", timeout,
                "LKHULFT_RETRIES", retries), failing ? List.of(new NodeFacts.PreflightRow("conf_file",
                NodeFacts.PreflightRow.FAIL, "E:\\hulenv.cnf is not readable")) : List.of())), Instant.now());
    }

    static void post(String token, Report r) {
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(r)
                .post(API + "/reports").then().statusCode(202);
    }

    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** The scrape once it shows {@code line}: a snapshot serves scrapes for up to a second. */
    static String scrapeShowing(String... lines) throws InterruptedException {
        String text = scrape();
        for (int i = 0; i < 50 && !List.of(text.split("\n")).containsAll(List.of(lines)); i++) {
            Thread.sleep(100);
            text = scrape();
        }
        assertThat(text.lines()).contains(lines);
        return text;
    }

    @Test
    void theClustersStateAndTheRefusedReportsAreServedAndEveryMetricOfTheRulesAndDashboardIsThere() throws Exception {
        String down = "metrics-down-" + RUN;
        String window = "metrics-window-" + RUN;
        String downToken = "hak_metrics-down-" + RUN;
        String windowToken = "hak_metrics-window-" + RUN;
        TokenStore tokens = new TokenStore(Path.of(ConfigProvider.getConfig()
                .getValue("hulftark.security.tokens-file", String.class)));
        tokens.add("agent-" + down, Role.REPORTER, Optional.of(new ReporterScope(down, Optional.empty())), downToken);
        tokens.add("agent-" + window, Role.REPORTER, Optional.of(new ReporterScope(window, Optional.empty())),
                windowToken);
        String before = scrape();

        // Two settings differ between the nodes and the standby's preflight fails a row (issue 13).
        post(downToken, report(down, "n1", 1, Status.STOPPED).withFacts(facts("a", "300", "2", false)));
        post(downToken, report(down, "n2", 1, Status.STOPPED).withFacts(facts("b", "60", "3", true)));
        given().header("Authorization", "Bearer " + FleetProfile.OPERATOR).contentType(ContentType.JSON)
                .body("{\"comment\":\"on it\",\"until\":\"" + Instant.now().plusSeconds(3600) + "\"}")
                .post(API + "/clusters/" + down + "/acknowledgements").then().statusCode(201);
        post(windowToken, report(window, "n1", 1, Status.RUNNING));
        given().header("Authorization", "Bearer " + FleetProfile.OPERATOR).contentType(ContentType.JSON)
                .body("{\"until\":\"" + Instant.now().plusSeconds(3600) + "\",\"reason\":\"patching\"}")
                .post(API + "/clusters/" + window + "/maintenance").then().statusCode(201);
        // Refused: an unknown token (401) and a report without its node (422).
        given().header("Authorization", "Bearer hak_nobody-" + RUN).contentType(ContentType.JSON)
                .body(report(down, "n1", 2, Status.STOPPED)).post(API + "/reports").then().statusCode(401);
        given().header("Authorization", "Bearer " + downToken).filter(Contract.INVALID_REQUEST)
                .contentType(ContentType.JSON).body("{\"cluster\":\"" + down + "\",\"seq\":1}")
                .post(API + "/reports").then().statusCode(422);

        String text = scrapeShowing(
                "hulftark_fleet_cluster_drift{cluster=\"" + down + "\",} 2.0",
                "hulftark_fleet_cluster_readiness_failures{cluster=\"" + down + "\",} 1.0",
                "hulftark_fleet_cluster_state{cluster=\"" + down + "\",state=\"DOWN\",} 1.0",
                "hulftark_fleet_cluster_acknowledged{cluster=\"" + down + "\",} 1.0",
                "hulftark_fleet_cluster_in_maintenance{cluster=\"" + window + "\",} 1.0",
                "hulftark_fleet_cluster_silent_nodes{cluster=\"" + down + "\",} 0.0",
                "hulftark_fleet_snapshot_success 1.0");
        assertThat(text).doesNotContain("hulftark_fleet_cluster_state{cluster=\"" + down + "\",state=\"OK\"");
        assertThat(value(text, "hulftark_fleet_cluster_last_report_timestamp_seconds{cluster=\"" + down + "\",}"))
                .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60.0));
        assertThat(value(text, "hulftark_fleet_clusters{state=\"DOWN\",}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "hulftark_fleet_clusters_drifting")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "hulftark_fleet_clusters_readiness_failing")).isGreaterThanOrEqualTo(1);
        assertThat(text).doesNotContain("hulftark_fleet_cluster_drift{cluster=\"" + window + "\"");
        for (String reason : List.of("unauthenticated", "invalid")) {
            String series = "hulftark_fleet_report_failures_total{fault=\"sender\",reason=\"" + reason + "\",}";
            assertThat(value(text, series) - value(before, series)).as(series).isGreaterThanOrEqualTo(1);
        }
        assertThat(value(text, "hulftark_fleet_report_failures_total{fault=\"fleet\",reason=\"unavailable\",}"))
                .isZero();

        List<String> used = new ArrayList<>(MonitoringFiles.dashboardExpressions());
        MonitoringFiles.alertExpressions().forEach(a -> used.add(a[1]));
        for (String name : MonitoringFiles.metricNames(used)) {
            if (!MonitoringFiles.SYNTHETIC.contains(name)) {
                assertThat(text).as("%s, used by the rules or the dashboard, is served", name)
                        .containsPattern("(?m)^" + Pattern.quote(name) + "[{ ]");
            }
        }
        assertThat(MonitoringFiles.metricNames(used)).contains("hulftark_fleet_cluster_state",
                "hulftark_fleet_cluster_drift", "hulftark_fleet_cluster_readiness_failures",
                "hulftark_fleet_report_failures_total", "hulftark_fleet_reports_total", "up");
        assertThat(Promtool.check(text)).isEmpty();
    }
}
