package io.hulftark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hulftark.wire.Status;
import io.hulftark.wire.Report;
import io.hulftark.fleet.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged 'hulft-ark fleet' as real processes: a restart keeps history; two instances on one PostgreSQL. */
class FleetIT {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @TempDir
    Path dir;

    static String report(String cluster, String node, long seq, Status status, String eventText) throws Exception {
        Instant now = Instant.now();
        return JSON.writeValueAsString(new Report(cluster, node, "it", now.minusSeconds(60), seq, now,
                List.of(new Report.Resource("HULFT", "HULFT8", status, status == Status.RUNNING ? "active" : "standby",
                        now, null, now, List.of(new Report.Port("port", 30000, status == Status.RUNNING, 80, null)))),
                eventText == null ? List.of() : List.of(new Report.Event(seq, now, "HULFT", "transition", eventText)), 0));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }

    @Test
    void aRestartKeepsStatesAndHistory() throws Exception {
        Path state = dir.resolve("state");
        Path tokens = state.resolve("tokens");
        String marker = "RUNNING → FAILED: " + UUID.randomUUID();
        String reporter;
        try (FleetProcess fleet = new FleetProcess(Map.of(), state, tokens).start()) {
            reporter = FleetProcess.reporter(tokens, "c1");
            assertThat(fleet.post("/api/v1/fleet/reports", reporter, report("c1", "n1", 1, Status.RUNNING, null))
                    .statusCode()).isEqualTo(202);
            assertThat(fleet.post("/api/v1/fleet/reports", reporter, report("c1", "n2", 1, Status.STOPPED, null))
                    .statusCode()).isEqualTo(202);
            assertThat(fleet.post("/api/v1/fleet/reports", reporter, report("c1", "n1", 2, Status.FAILED, marker))
                    .statusCode()).isEqualTo(202);
            assertThat(json(fleet.get("/api/v1/fleet/clusters/c1", FleetProcess.VIEWER)).at("/cluster/state").asText())
                    .isEqualTo("DOWN");
            assertThat(fleet.stop()).as("exit code after SIGTERM").isIn(0, 143);
        }
        try (FleetProcess again = new FleetProcess(Map.of(), state, tokens).start()) {
            JsonNode detail = json(again.get("/api/v1/fleet/clusters/c1?history=50", FleetProcess.VIEWER));
            assertThat(detail.at("/cluster/state").asText()).isEqualTo("DOWN");
            assertThat(detail.at("/nodes").size()).isEqualTo(2);
            assertThat(detail.at("/history").findValuesAsText("text")).contains(marker);
            assertThat(detail.at("/history").findValuesAsText("kind")).contains("STATE", "NODE", "TRANSITION");
            // The same credential still works: the tokens file is the fleet view's own, under its state directory.
            assertThat(again.post("/api/v1/fleet/reports", reporter, report("c1", "n1", 3, Status.RUNNING, null))
                    .statusCode()).isEqualTo(202);
            assertThat(json(again.get("/api/v1/fleet/summary", FleetProcess.VIEWER)).at("/byState/OK").asInt()).isEqualTo(1);
        }
    }

    @Test
    void twoInstancesOnOnePostgresServeOneViewAndBothTakeReports() throws Exception {
        TestDatabases.requirePostgres();
        String schema = TestDatabases.newSchema();
        try (Connection c = DriverManager.getConnection(TestDatabases.PG_URL, TestDatabases.PG_USER, TestDatabases.PG_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String url = TestDatabases.PG_URL + (TestDatabases.PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Map<String, String> pg = Map.of("hulftark.fleet.store", "postgresql",
                "quarkus.datasource.postgresql.jdbc.url", url,
                "quarkus.datasource.postgresql.username", TestDatabases.PG_USER,
                "quarkus.datasource.postgresql.password", TestDatabases.PG_PASSWORD);
        Path tokens = dir.resolve("shared-tokens");
        try (FleetProcess a = new FleetProcess(pg, dir.resolve("a"), tokens).start();
             FleetProcess b = new FleetProcess(pg, dir.resolve("b"), tokens).start()) {
            String reporter = FleetProcess.reporter(tokens, "pg1");
            assertThat(a.post("/api/v1/fleet/reports", reporter, report("pg1", "n1", 1, Status.RUNNING, null)).statusCode())
                    .isEqualTo(202);
            assertThat(b.post("/api/v1/fleet/reports", reporter, report("pg1", "n2", 1, Status.STOPPED, null)).statusCode())
                    .isEqualTo(202);
            for (FleetProcess f : List.of(a, b)) {
                JsonNode detail = json(f.get("/api/v1/fleet/clusters/pg1", FleetProcess.VIEWER));
                assertThat(detail.at("/cluster/state").asText()).as("port " + f.port).isEqualTo("OK");
                assertThat(detail.at("/nodes").findValuesAsText("node")).containsExactly("n1", "n2");
            }

            // A change reported to A shows on B's live stream.
            BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
            HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            b.uri("/api/v1/fleet/stream")).header("Authorization", "Bearer " + FleetProcess.VIEWER).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (Exception closed) {
                    // the test closes it
                }
            });
            reader.setDaemon(true);
            reader.start();
            String marker = "crash " + UUID.randomUUID();
            assertThat(a.post("/api/v1/fleet/reports", reporter, report("pg1", "n1", 2, Status.FAILED, marker)).statusCode())
                    .isEqualTo(202);
            boolean seen = false;
            boolean down = false;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(seen && down) && System.nanoTime() < until) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                seen |= line != null && line.contains(marker);
                down |= line != null && line.contains("\"kind\":\"STATE\"") && line.contains("\"state\":\"DOWN\"");
            }
            stream.body().close();
            assertThat(seen).as("A's transition on B's stream").isTrue();
            assertThat(down).as("the STATE change to DOWN on B's stream").isTrue();
            assertThat(json(b.get("/api/v1/fleet/summary", FleetProcess.VIEWER)).at("/byState/DOWN").asInt()).isEqualTo(1);
        } finally {
            TestDatabases.dropSchema(schema);
        }
    }

    @Test
    void anUnknownStoreIsOneLineAndNoServer() throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(Cli.javaBin(), "-Dhulftark.fleet.store=mongodb",
                "-Dhulftark.state-dir=" + dir.toAbsolutePath(), "-jar", Cli.APP.toString(), "fleet").start();
        Cli.Result r = Cli.finish(p, t0);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).contains("hulftark.fleet.store").doesNotContain("\n").doesNotContain("at io.");
    }
}
