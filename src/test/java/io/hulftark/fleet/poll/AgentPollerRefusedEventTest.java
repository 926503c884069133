package io.hulftark.fleet.poll;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpServer;
import io.hulftark.wire.Status;
import io.hulftark.wire.Report;
import io.hulftark.wire.ReportValidator;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.store.IngestResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A polled agent whose history holds an event the wire's rule refuses (an agent of another version, or a journal
 * from before the rule): the event is set aside, counted as dropped, and polling goes on past it.
 */
class AgentPollerRefusedEventTest {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<Report> taken = new CopyOnWriteArrayList<>();
    private HttpServer agent;
    private AgentPoller poller;

    @AfterEach
    void tearDown() throws Exception {
        if (poller != null) {
            poller.close();
        }
        if (agent != null) {
            agent.stop(0);
        }
    }

    static Report.Event event(long seq, String tag) {
        return new Report.Event(seq, T, tag, "transition", "change " + seq);
    }

    @Test
    void aRefusedEventIsSetAsideAndPollingGoesOnPastIt() throws Exception {
        agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        agent.createContext("/api/v1/report", x -> {
            String query = x.getRequestURI().getQuery();
            asked.add(query);
            long after = Long.parseLong(query.substring("after=".length()));
            // Events 1 to 4; event 2's tag holds a bidi override, which no name may.
            List<Report.Event> events = List.of(event(1, "HULFT"), event(2, "HUL\u202EFT"), event(3, "HULFT"),
                    event(4, "HULFT")).stream().filter(e -> e.seq() > after).toList();
            Report r = new Report("c1", "n1", "1", T, asked.size(), T, List.of(new Report.Resource("HULFT", null,
                    Status.RUNNING, "active", T, null, T, null)), events, 0, "agent-1");
            byte[] body = JSON.writeValueAsBytes(r);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        agent.start();
        URI url = URI.create("http://127.0.0.1:" + agent.getAddress().getPort());
        poller = new AgentPoller(List.of(new AgentPoller.Target("n1", url, "hak_token")), Duration.ofSeconds(1),
                Duration.ofSeconds(2), report -> {
                    // The fleet view's own check, as FleetService does it.
                    assertThat(ReportValidator.problem(report)).isEmpty();
                    taken.add(report);
                    return new IngestResult(IngestResult.Outcome.ACCEPTED, report.events().size(), ClusterState.OK, false);
                });
        poller.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (taken.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(taken).hasSizeGreaterThanOrEqualTo(3);
        assertThat(taken.get(0).events()).extracting(Report.Event::seq).containsExactly(1L, 3L, 4L);
        assertThat(taken.get(0).dropped()).isEqualTo(1);
        assertThat(poller.after("n1")).isEqualTo(4);
        // Later polls ask after 4: the refused event is never asked for again, and the state keeps coming.
        assertThat(asked.subList(1, asked.size())).allMatch("after=4"::equals);
        assertThat(taken.get(taken.size() - 1).events()).isEmpty();
        assertThat(taken.get(taken.size() - 1).dropped()).as("still said: the agent's count plus ours").isEqualTo(1);
    }
}
