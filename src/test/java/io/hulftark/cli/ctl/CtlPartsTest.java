package io.hulftark.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of ctl that need no fleet view: durations, URLs, exit codes, problems, tables, SSE. */
class CtlPartsTest {

    @ParameterizedTest
    @CsvSource({"90s,PT1M30S", "10m,PT10M", "2h,PT2H", "1h30m,PT1H30M", "250ms,PT0.25S", "0,PT0S", "PT5M,PT5M", "1d,PT24H"})
    void durations(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @CsvSource({"ten", "10", "-5m", "5 m", "m", "10mm", "P-1D"})
    void badDurations(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("is not a duration");
    }

    @Test
    void durationsReadBack() {
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
    }

    @Test
    void urls() {
        assertThat(FleetClient.parseUrl("http://fleet:8690/")).isEqualTo(URI.create("http://fleet:8690"));
        assertThat(FleetClient.parseUrl("HTTPS://fleet.example/base//")).isEqualTo(URI.create("https://fleet.example/base"));
        assertThatThrownBy(() -> FleetClient.parseUrl("http://alice:secret@fleet:8690"))
                .hasMessageContaining("must not hold a user or password").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> FleetClient.parseUrl("ftp://fleet")).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> FleetClient.parseUrl("fleet:8690")).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> FleetClient.parseUrl("http://fleet/?x=1")).hasMessageContaining("query");
    }

    @Test
    void queriesAndSegmentsAreEncoded() {
        assertThat(FleetClient.segment("a b/c")).isEqualTo("a%20b%2Fc");
        assertThat(FleetClient.query(List.of(Map.entry("label", "site=osaka"), Map.entry("q", "x&y"))))
                .isEqualTo("?label=site%3Dosaka&q=x%26y");
        assertThat(FleetClient.query(List.of())).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"400,2", "401,5", "403,5", "404,3", "409,4", "500,6", "502,6", "503,6", "418,1"})
    void exitCodes(int status, int code) {
        assertThat(FleetClient.exitCode(status)).isEqualTo(code);
    }

    @Test
    void problemDetails() {
        assertThat(FleetClient.problemDetail("{\"type\":\"x\",\"title\":\"Conflict\",\"status\":409,"
                + "\"detail\":\"action a1 runs on demo-2\\nsecond line\"}")).contains("action a1 runs on demo-2 second line");
        assertThat(FleetClient.problemDetail("{\"title\":\"Not Found\"}")).contains("Not Found");
        assertThat(FleetClient.problemDetail("<html>bad gateway</html>")).isEmpty();
        assertThat(FleetClient.problemDetail("")).isEmpty();
    }

    @Test
    void fivexxAnd401SayWhere() {
        FleetClient c = new FleetClient(URI.create("http://f:1"), java.util.Optional.empty(), "HULFTARK_TOKEN");
        CtlException e = c.failure(401, "{\"detail\":\"a token is needed\"}");
        assertThat(e.exitCode()).isEqualTo(ExitCodes.NOT_AUTHORISED);
        assertThat(e.getMessage()).isEqualTo("a token is needed (HULFTARK_TOKEN is not set)");
        e = c.failure(503, "{\"detail\":\"the store is unavailable\"}");
        assertThat(e.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(e.getMessage()).isEqualTo("the fleet view at http://f:1 answered 503: the store is unavailable");
    }

    @Test
    void timesAreIsoUtcToTheSecond() throws Exception {
        JsonNode n = FleetClient.JSON.readTree("{\"a\":\"2026-12-06T21:04:05.123456Z\",\"b\":null}");
        assertThat(Render.time(n.path("a"))).isEqualTo("2026-12-06T21:04:05Z");
        assertThat(Render.time(n.path("b"))).isEqualTo("-");
        assertThat(Render.time(n.path("missing"))).isEqualTo("-");
    }

    @Test
    void tablesAlignAndKeepOneLinePerRow() {
        StringWriter s = new StringWriter();
        new Table("A", "LONGER", "C").row("xxxx", "y", "z\nnext").row("", "yy", "w").print(new PrintWriter(s, true));
        assertThat(s.toString().lines().toList()).containsExactly(
                "A     LONGER  C",
                "xxxx  y       z next",
                "-     yy      w");
    }

    @Test
    void labelsMatchEveryValueOfAKey() throws Exception {
        JsonNode labels = FleetClient.JSON.readTree("{\"site\":\"kobe,osaka\",\"env\":\"prod\"}");
        assertThat(Labels.matches(labels, List.of(Map.entry("site", "osaka"), Map.entry("env", "prod")))).isTrue();
        assertThat(Labels.matches(labels, List.of(Map.entry("site", "tokyo")))).isFalse();
        assertThat(Labels.matches(labels, List.of(Map.entry("rack", "1")))).isFalse();
        assertThat(Labels.matches(labels, List.of())).isTrue();
    }

    @Test
    void actionsAreNamedAsTheApiNamesThem() {
        assertThat(ActCommand.canonical("QUICKCHECK")).contains("quickCheck");
        assertThat(ActCommand.canonical("quick-check")).contains("quickCheck");
        assertThat(ActCommand.canonical("Switchover")).contains("switchover");
        assertThat(ActCommand.canonical("reboot")).isEmpty();
    }

    @Test
    void stepChangesAreOneLineEach() throws Exception {
        Map<String, String> seen = new java.util.HashMap<>();
        List<String> notes = new java.util.ArrayList<>();
        JsonNode running = FleetClient.JSON.readTree("{\"id\":\"a1\",\"cluster\":\"demo-2\",\"action\":\"switchover\","
                + "\"node\":\"node-b\",\"state\":\"RUNNING\",\"steps\":[{\"id\":\"s1\",\"seq\":1,\"node\":\"node-a\","
                + "\"action\":\"remove\",\"tag\":\"HULFT1\",\"state\":\"RUNNING\",\"messages\":[]}]}");
        ActCommand.changes(running, seen, notes::add);
        ActCommand.changes(running, seen, notes::add);
        JsonNode done = FleetClient.JSON.readTree("{\"id\":\"a1\",\"cluster\":\"demo-2\",\"action\":\"switchover\","
                + "\"node\":\"node-b\",\"state\":\"RUNNING\",\"steps\":[{\"id\":\"s1\",\"seq\":1,\"node\":\"node-a\","
                + "\"action\":\"remove\",\"tag\":\"HULFT1\",\"state\":\"SUCCEEDED\",\"exitCode\":0,\"durationMillis\":1500,"
                + "\"messages\":[\"stopped\"]}]}");
        ActCommand.changes(done, seen, notes::add);
        assertThat(notes).containsExactly("action a1 (switchover of demo-2 to node-b): RUNNING",
                "step 1 remove HULFT1 on node-a: RUNNING",
                "step 1 remove HULFT1 on node-a: SUCCEEDED (exit 0, 1s): stopped");
    }

    @Test
    void serverSentEventsSkipPingsFilterAndReplays() throws Exception {
        String sse = "event: ping\ndata: {}\n\n"
                + "id: 7\ndata: {\"id\":7,\"at\":\"2026-12-06T21:04:05Z\",\"cluster\":\"c1\",\"node\":\"n1\",\"kind\":\"TRANSITION\",\"tag\":\"HULFT\",\"text\":\"RUNNING → FAILED\"}\n\n"
                + "id: 8\ndata: {\"id\":8,\"at\":\"2026-12-06T21:04:06Z\",\"cluster\":\"c2\",\"kind\":\"STATE\",\"text\":\"DOWN\"}\n\n"
                + "id: 5\ndata: {\"id\":5,\"at\":\"2026-12-06T21:04:00Z\",\"cluster\":\"c1\",\"kind\":\"STATE\",\"text\":\"old\"}\n\n";
        EventsCommand c = new EventsCommand();
        StringWriter s = new StringWriter();
        c.out = new PrintWriter(s, true);
        c.err = new PrintWriter(new StringWriter(), true);
        c.options = new CtlOptions();
        long last = c.read(new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)),
                new EventsCommand.Filter("c1", null, null), 6);
        assertThat(last).isEqualTo(8);
        assertThat(s.toString().lines().toList()).containsExactly(
                "2026-12-06T21:04:05Z  TRANSITION   c1/n1  HULFT  RUNNING → FAILED");
    }

    @Test
    void anActionAsPeopleReadIt() throws Exception {
        JsonNode a = FleetClient.JSON.readTree("{\"id\":\"a1\",\"cluster\":\"demo-2\",\"action\":\"switchover\","
                + "\"node\":\"node-b\",\"force\":false,\"reason\":\"patching\",\"requestedBy\":\"alice\","
                + "\"requestedAt\":\"2026-12-06T21:00:00.5Z\",\"state\":\"FAILED\",\"endedAt\":\"2026-12-06T21:01:30Z\","
                + "\"durationMillis\":90000,\"detail\":\"restore on node-b failed (exit 1); HULFT restored on node-a\","
                + "\"steps\":[{\"id\":\"s1\",\"seq\":1,\"node\":\"node-a\",\"tag\":\"HULFT1\",\"action\":\"remove\","
                + "\"state\":\"SUCCEEDED\",\"exitCode\":0,\"durationMillis\":2000,\"messages\":[\"stopped\"],\"mode\":\"direct\","
                + "\"rollback\":false},{\"id\":\"s3\",\"seq\":3,\"node\":\"node-a\",\"tag\":\"HULFT1\",\"action\":\"restore\","
                + "\"state\":\"SUCCEEDED\",\"exitCode\":0,\"messages\":[],\"rollback\":true}]}");
        StringWriter s = new StringWriter();
        Render.action(a, new PrintWriter(s, true));
        assertThat(s.toString().lines().toList()).contains(
                "Action:       a1",
                "What:         switchover of demo-2 to node-b",
                "Requested:    by alice at 2026-12-06T21:00:00Z (reason: patching)",
                "State:        FAILED at 2026-12-06T21:01:30Z after 1m30s",
                "Detail:       restore on node-b failed (exit 1); HULFT restored on node-a",
                "STEP          NODE    ACTION   TAG     STATE      EXIT  TOOK  MODE    MESSAGE",
                "1             node-a  remove   HULFT1  SUCCEEDED  0     2s    direct  stopped",
                "3 (rollback)  node-a  restore  HULFT1  SUCCEEDED  0     -     -       -");
    }

    @Test
    void aBatchAsPeopleReadIt() throws Exception {
        JsonNode b = FleetClient.JSON.readTree("{\"id\":\"b1\",\"action\":\"switchover\",\"force\":false,"
                + "\"concurrency\":2,\"stopOnFailure\":true,\"pauseSeconds\":30,\"state\":\"RUNNING\",\"total\":3,"
                + "\"succeeded\":1,\"failed\":0,\"running\":1,\"pending\":1,\"requestedBy\":\"otto\","
                + "\"requestedAt\":\"2026-12-06T21:00:00Z\",\"endedAt\":null,\"clusters\":[{\"cluster\":\"c1\","
                + "\"state\":\"SUCCEEDED\",\"actionId\":\"a1\"},{\"cluster\":\"c2\",\"state\":\"RUNNING\",\"actionId\":\"a2\"},"
                + "{\"cluster\":\"c3\",\"state\":\"PENDING\"}]}");
        StringWriter s = new StringWriter();
        Render.batch(b, new PrintWriter(s, true));
        assertThat(s.toString().lines().toList()).contains(
                "What:         switchover, 2 at a time, stop at the first failure, 30s between clusters",
                "State:        RUNNING",
                "Progress:     3 clusters: 1 succeeded, 0 failed, 1 running, 1 pending",
                "c2       RUNNING    a2      -",
                "c3       PENDING    -       -");
        List<String> notes = new java.util.ArrayList<>();
        BatchCommand.changes(b, new java.util.HashMap<>(), notes::add);
        assertThat(notes).containsExactly("batch b1: RUNNING (3 clusters: 1 succeeded, 0 failed, 1 running, 1 pending)",
                "c1: SUCCEEDED (action a1)", "c2: RUNNING (action a2)");
        assertThat(BatchCommand.ended(b)).isFalse();
    }
}
