package io.hulftark.fleet.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.hulftark.fleet.state.ClusterState.DOWN;
import static io.hulftark.fleet.state.ClusterState.OK;
import static org.assertj.core.api.Assertions.assertThat;

/** Folding, payloads, the signature, back-off and redaction: the plain parts of a delivery. */
class FormatsTest {

    static final Instant T = Instant.parse("2026-12-06T20:00:00Z");

    static Message m(long id, String cluster) {
        return new Message(id, "ops", Message.Kind.PROBLEM, cluster, DOWN, OK, T, "no node serves HULFT");
    }

    static List<Message> many(int n) {
        List<Message> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(m(i, "c" + i));
        }
        return out;
    }

    @Test
    void oneByOneUntilABurstOrAnOutage() {
        assertThat(Delivery.plan(List.of(), 10, null)).isEmpty();
        assertThat(Delivery.plan(many(10), 10, null)).hasSize(10).noneMatch(Delivery::summary);
        assertThat(Delivery.plan(many(11), 10, null)).singleElement().satisfies(d -> {
            assertThat(d.summary()).isTrue();
            assertThat(d.title()).isEqualTo("11 changes");
        });
        assertThat(Delivery.plan(many(1), 10, T)).singleElement().matches(d -> !d.summary());
        assertThat(Delivery.plan(many(12), 10, T)).singleElement().satisfies(d -> {
            assertThat(d.title()).isEqualTo("12 changes while you were unreachable (since " + T + ")");
            assertThat(d.text()).contains("• " + T + " c12 is DOWN (was OK): no node serves HULFT");
        });
        String text = Delivery.plan(many(80), 10, null).get(0).text();
        assertThat(text.lines()).hasSize(1 + Delivery.SUMMARY_LINES + 1);
        assertThat(text).endsWith("… and 30 more (the fleet view's history has them all)");
    }

    @Test
    void theWebhookCarriesEveryChangeAndTheChatAText() throws Exception {
        Delivery d = Delivery.plan(many(3), 2, null).get(0);
        JsonNode body = new ObjectMapper().readTree(Payloads.webhook(d, d.id("ops"), T));
        assertThat(body.path("kind").asText()).isEqualTo("SUMMARY");
        assertThat(body.path("delivery").asText()).isEqualTo("ops-1-3-3");
        assertThat(body.path("changes")).hasSize(3);
        assertThat(body.path("changes").get(0).path("previousState").asText()).isEqualTo("OK");
        JsonNode chat = new ObjectMapper().readTree(Payloads.chat(Delivery.plan(many(1), 10, null).get(0)));
        assertThat(chat.path("text").asText()).isEqualTo("[hulft-ark] c1 is DOWN (was OK): no node serves HULFT");
        assertThat(chat.size()).isEqualTo(1);
        assertThat(Payloads.mailSubject(d)).isEqualTo("[hulft-ark] 3 changes");
    }

    @Test
    void theSignatureIsTheDocumentedHmac() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        // A known answer, computed with Python's hmac as deploy/fleet/README.md shows a receiver doing it.
        assertThat(Signature.sign("s3cret-s3cret-s3cret", 1_700_000_000L,
                "{\"kind\":\"PROBLEM\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=7944355ceacf06d0306afa19c81876d9c3fa2404e3fc7c6c0aaa010c4c6536d2");
        String sig = Signature.sign("key", 1_700_000_000L, body);
        assertThat(sig).startsWith("sha256=").hasSize(7 + 64);
        assertThat(Signature.verify("key", "1700000000", sig, body, 1_700_000_100L, 300)).isTrue();
        assertThat(Signature.verify("key", "1700000000", sig, body, 1_700_000_400L, 300)).as("replayed late").isFalse();
        assertThat(Signature.verify("other", "1700000000", sig, body, 1_700_000_000L, 300)).isFalse();
        assertThat(Signature.verify("key", "1700000001", sig, body, 1_700_000_000L, 300)).as("timestamp moved")
                .isFalse();
        assertThat(Signature.verify("key", "x", sig, body, 1_700_000_000L, 300)).isFalse();
    }

    @Test
    void backOffDoublesFromOneSecondToItsCap() {
        Duration cap = Duration.ofMinutes(5);
        assertThat(Backoff.after(0, cap)).isZero();
        assertThat(Backoff.after(1, cap)).hasSeconds(1);
        assertThat(Backoff.after(4, cap)).hasSeconds(8);
        assertThat(Backoff.after(9, cap)).hasSeconds(256);
        assertThat(Backoff.after(10, cap)).isEqualTo(cap);
        assertThat(Backoff.after(Integer.MAX_VALUE, cap)).isEqualTo(cap);
    }

    @Test
    void redactionRemovesEveryConfiguredCredential() {
        Redactor r = new Redactor(List.of("https://hooks.example/services/T0/B0/XYZSECRET", "/services/T0/B0/XYZSECRET",
                "s3cret-hmac", "abc"));
        assertThat(r.apply("POST https://hooks.example/services/T0/B0/XYZSECRET failed; key s3cret-hmac; abc"))
                .isEqualTo("POST *** failed; key ***; abc");
        assertThat(r.apply(null)).isEmpty();
    }

    @Test
    void anAcknowledgementSaysByWhomUntilWhenAndWhy() throws Exception {
        Message until = new Message(7, "ops", Message.Kind.ACKNOWLEDGED, "alpha", DOWN, null, T, "on it",
                new Acked("alice", "on it", Instant.parse("2026-12-06T22:00:00Z"), false));
        assertThat(until.line()).isEqualTo("alpha DOWN acknowledged by alice until 2026-12-06 22:00 UTC: on it");
        Message open = new Message(8, "ops", Message.Kind.ACKNOWLEDGED, "alpha", DOWN, null, T, "on it",
                new Acked("alice", "on it", null, true));
        assertThat(open.line()).isEqualTo("alpha DOWN acknowledged by alice until it recovers (sticky): on it");

        Delivery d = Delivery.plan(List.of(until), 10, null).get(0);
        JsonNode body = new ObjectMapper().readTree(Payloads.webhook(d, d.id("ops"), T));
        assertThat(body.path("kind").asText()).isEqualTo("ACKNOWLEDGED");
        JsonNode c = body.path("changes").get(0);
        assertThat(c.path("by").asText()).isEqualTo("alice");
        assertThat(c.path("comment").asText()).isEqualTo("on it");
        assertThat(c.path("until").asText()).isEqualTo("2026-12-06T22:00:00Z");
        assertThat(c.path("sticky").isBoolean()).isTrue();
        assertThat(c.has("previousState")).isFalse();
        JsonNode sticky = new ObjectMapper().readTree(Payloads.webhook(Delivery.plan(List.of(open), 10, null).get(0),
                "x", T)).path("changes").get(0);
        assertThat(sticky.has("until")).as("until it recovers").isFalse();
        assertThat(sticky.path("sticky").asBoolean()).isTrue();
        assertThat(new ObjectMapper().readTree(Payloads.chat(d)).path("text").asText())
                .isEqualTo("[hulft-ark] alpha DOWN acknowledged by alice until 2026-12-06 22:00 UTC: on it");
        assertThat(Payloads.mailSubject(d)).isEqualTo("[hulft-ark] alpha DOWN acknowledged by alice until "
                + "2026-12-06 22:00 UTC: on it");
        assertThat(Payloads.mailText(d)).startsWith("alpha DOWN acknowledged by alice until 2026-12-06 22:00 UTC: "
                + "on it\n\n-- \n");

        Message resolved = new Message(9, "ops", Message.Kind.RESOLVED, "alpha", OK, DOWN, T, "all fine",
                new Acked("alice", null, null, false));
        JsonNode r = new ObjectMapper().readTree(Payloads.webhook(Delivery.plan(List.of(resolved), 10, null).get(0),
                "y", T));
        assertThat(r.path("text").asText()).isEqualTo("alpha is OK again (was DOWN; acknowledged by alice): resolved");
        assertThat(r.path("changes").get(0).path("acknowledgedBy").asText()).isEqualTo("alice");
        assertThat(r.path("changes").get(0).has("by")).isFalse();
    }
}
