package io.hulftark.fleet.poll;

import com.sun.net.httpserver.HttpServer;
import io.hulftark.fleet.state.ClusterState;
import io.hulftark.fleet.store.IngestResult;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;
import io.hulftark.wire.ReportValidator;
import io.hulftark.wire.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static io.hulftark.fleet.poll.AgentPollerRefusedEventTest.JSON;
import static io.hulftark.fleet.poll.AgentPollerRefusedEventTest.T;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poller asks with the digest of the facts it last took from the agent, so an agent sends its facts only when
 * they changed; a fleet view that restarts asks without one and gets them again.
 */
class AgentPollerFactsTest {

    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<Report> taken = new CopyOnWriteArrayList<>();
    /** The agent's facts now. */
    private final AtomicReference<NodeFacts> facts = new AtomicReference<>(facts('a', "300"));
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

    static NodeFacts facts(char digest, String timeout) {
        return new NodeFacts(String.valueOf(digest).repeat(64), T, "1", "Linux", "9", "17", "h", "linux", false, null,
                List.of(new NodeFacts.ResourceFacts("HULFT", Map.of("LKHULFT_TIMEOUT", timeout), List.of())), T);
    }

    /** An agent as the contract says: facts when factsDigest is absent or not theirs. */
    private URI startAgent() throws Exception {
        agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        agent.createContext("/api/v1/report", x -> {
            String query = x.getRequestURI().getQuery();
            asked.add(query);
            NodeFacts now = facts.get();
            boolean send = !query.contains("factsDigest=" + now.digest());
            Report r = new Report("c1", "n1", "1", T, asked.size(), T, List.of(new Report.Resource("HULFT", null,
                    Status.RUNNING, "active", T, null, T, null)), List.of(), 0, "agent-1").withFacts(send ? now : null);
            byte[] body = JSON.writeValueAsBytes(r);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        agent.start();
        return URI.create("http://127.0.0.1:" + agent.getAddress().getPort());
    }

    private AgentPoller startPoller(URI url) {
        AgentPoller p = new AgentPoller(List.of(new AgentPoller.Target("n1", url, "hak_token")), Duration.ofSeconds(1),
                Duration.ofSeconds(2), report -> {
                    assertThat(ReportValidator.problem(report)).isEmpty();
                    taken.add(report);
                    return new IngestResult(IngestResult.Outcome.ACCEPTED, 0, ClusterState.OK, false);
                });
        p.start();
        return p;
    }

    private void awaitReports(int n) throws InterruptedException {
        AgentPollerTest.await(n + " reports taken", () -> taken.size() >= n);
    }

    @Test
    void factsComeWhenTheyChangeAndAgainAfterARestartOfTheFleetView() throws Exception {
        URI url = startAgent();
        poller = startPoller(url);
        awaitReports(3);
        assertThat(asked.get(0)).isEqualTo("after=0");
        assertThat(taken.get(0).facts()).isEqualTo(facts('a', "300"));
        assertThat(asked.get(1)).isEqualTo("after=0&factsDigest=" + "a".repeat(64));
        assertThat(taken.subList(1, 3)).extracting(Report::facts).containsOnlyNulls();
        assertThat(poller.factsDigest("n1")).isEqualTo("a".repeat(64));

        // The agent's facts change: the next answer carries them, the polls after it ask with their digest.
        facts.set(facts('b', "60"));
        int before = taken.size();
        AgentPollerTest.await("the new facts taken", () -> taken.stream().skip(before)
                .anyMatch(r -> r.facts() != null));
        assertThat(taken.stream().skip(before).filter(r -> r.facts() != null).toList()).singleElement()
                .satisfies(r -> assertThat(r.facts()).isEqualTo(facts('b', "60")));
        AgentPollerTest.await("asked with the new digest", () -> asked.stream()
                .anyMatch(q -> q.endsWith("factsDigest=" + "b".repeat(64))));

        // The fleet view restarts: it knows no digest, so the agent sends its facts again.
        poller.close();
        taken.clear();
        asked.clear();
        poller = startPoller(url);
        awaitReports(1);
        assertThat(asked.get(0)).isEqualTo("after=0");
        assertThat(taken.get(0).facts()).isEqualTo(facts('b', "60"));
    }
}
