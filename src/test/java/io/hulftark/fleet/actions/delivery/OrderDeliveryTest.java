package io.hulftark.fleet.actions.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.contract.Contract;
import io.hulftark.fleet.actions.OrderPlaced;
import io.hulftark.fleet.api.FleetProfile;
import io.hulftark.wire.ActionOrder;
import io.hulftark.app.CapacityHealth;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.microprofile.health.Readiness;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** The push agents' order channel over real HTTP: held requests, their wake-up, bounds, roles, and no leaks. */
@QuarkusTest
@TestProfile(OrderProfile.class)
class OrderDeliveryTest {

    static final String ORDERS = "/api/v1/fleet/orders";
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @TestHTTPResource("/")
    URI base;

    @Inject
    MemoryOrderBook book;

    @Inject
    OrderDelivery delivery;

    @Inject
    Event<OrderPlaced> placed;

    @Inject
    MeterRegistry registry;

    @Inject
    @Readiness
    CapacityHealth capacity;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void empty() throws InterruptedException {
        book.clear();
        await(() -> delivery.waiters().count() == 0, "the previous test's requests ended");
    }

    static ActionOrder order(String node) {
        return new ActionOrder(UUID.randomUUID().toString(), "alpha", node, "HULFT", "quickCheck", "test",
                "otto", Instant.now());
    }

    private CompletableFuture<HttpResponse<String>> hold(String token, String node, int wait) {
        return http.sendAsync(HttpRequest.newBuilder(base.resolve(ORDERS + "?node=" + node + "&wait=" + wait))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(wait + 10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitHeld(int n) throws InterruptedException {
        await(() -> delivery.waiters().count() == n, n + " request(s) held");
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aHeldRequestIsAnsweredAtOnceWhenAnOrderIsPlaced() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = hold(FleetProfile.ALPHA, "a1", 30);
        awaitHeld(1);
        ActionOrder o = order("a1");
        book.place(o, true); // not in the sweep: only the event can deliver it
        long placedAt = System.nanoTime();
        placed.fire(new OrderPlaced("alpha", "a1"));
        HttpResponse<String> r = answer.get(10, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - placedAt);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(millis).as("placed → answered, ms").isLessThan(1000);
        JsonNode orders = JSON.readTree(r.body());
        assertThat(orders).hasSize(1);
        assertThat(orders.get(0).path("id").asText()).isEqualTo(o.id());
        assertThat(orders.get(0).path("action").asText()).isEqualTo("quickCheck");
        assertThat(JSON.treeToValue(orders.get(0), ActionOrder.class)).isEqualTo(o);
        assertThat(book.deliveredAt(o.id())).isNotNull();
        assertThat(delivery.waiters().count()).isZero();
    }

    @Test
    void anAsyncEventWakesToo() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = hold(FleetProfile.ALPHA, "a2", 30);
        awaitHeld(1);
        ActionOrder o = order("a2");
        book.place(o, true);
        placed.fireAsync(new OrderPlaced("alpha", "a2"));
        HttpResponse<String> r = answer.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains(o.id());
    }

    @Test
    void theSweepDeliversAnOrderPlacedWithoutAnEvent() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = hold(FleetProfile.ALPHA, "a1", 30);
        awaitHeld(1);
        int sweeps = book.waitingCalls();
        ActionOrder o = order("a1"); // as another fleet-view instance would: in the store, no event here
        book.place(o, false);
        HttpResponse<String> r = answer.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains(o.id());
        assertThat(book.waitingCalls()).isGreaterThan(sweeps);
    }

    @Test
    void waitingOrdersAreAnsweredAtOnceTwentyAtATime() throws Exception {
        for (int i = 0; i < 25; i++) {
            book.place(order("a1"), true);
        }
        as(FleetProfile.ALPHA).get(ORDERS + "?node=a1&wait=60").then().statusCode(200).body("$", hasSize(20));
        as(FleetProfile.ALPHA).get(ORDERS + "?node=a1&wait=60").then().statusCode(200).body("$", hasSize(5));
        as(FleetProfile.ALPHA).get(ORDERS + "?node=a1&wait=0").then().statusCode(204);
        // Another node's orders are not this one's.
        book.place(order("a2"), true);
        as(FleetProfile.ALPHA).get(ORDERS + "?node=a1&wait=0").then().statusCode(204);
        as(FleetProfile.ALPHA).get(ORDERS + "?node=a2&cluster=alpha&wait=0").then().statusCode(200).body("$", hasSize(1));
    }

    @Test
    void noOrderWithinTheWaitIsA204AfterIt() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = hold(FleetProfile.ALPHA, "a1", 1).get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(950);
        assertThat(delivery.waiters().count()).isZero();
    }

    @Test
    void parametersAreBounded() {
        for (String q : List.of("node=a1&wait=61", "node=a1&wait=-1", "node=a1&wait=abc", "node=a1&wait=1.5", "wait=1",
                "node=", "node=a%20b", "node=a1&cluster=al%2Fpha")) {
            bad(FleetProfile.ALPHA).get(ORDERS + "?" + q).then().statusCode(400)
                    .contentType("application/problem+json").body("status", equalTo(400));
        }
        bad(FleetProfile.ALPHA).get(ORDERS + "?node=a1&wait=61").then().body("detail", containsString("wait"));
        bad(FleetProfile.ALPHA).get(ORDERS + "?wait=1").then().body("detail", containsString("node is missing"));
    }

    @Test
    void onlyTheNodesOwnReporterTakesItsOrders() {
        book.place(order("a1"), true);
        as(FleetProfile.VIEWER).get(ORDERS + "?node=a1&wait=0").then().statusCode(403);
        as(FleetProfile.OPERATOR).get(ORDERS + "?node=a1&wait=0").then().statusCode(403);
        as(FleetProfile.BETA_B1).get(ORDERS + "?node=a1&cluster=alpha&wait=0").then().statusCode(403)
                .body("detail", containsString("may take orders for node b1 of cluster beta"));
        as(FleetProfile.BETA_B1).get(ORDERS + "?node=b2&wait=0").then().statusCode(403);
        as(FleetProfile.GAMMA_G1).get(ORDERS + "?node=a1&cluster=alpha&wait=0").then().statusCode(403)
                .body("detail", containsString("not for node a1 of cluster alpha"));
        given().filter(Contract.INVALID_REQUEST).get(ORDERS + "?node=a1&wait=0").then().statusCode(401);
        // None of them took it: it is still there for alpha's agent.
        as(FleetProfile.BETA_B1).get(ORDERS + "?node=b1&wait=0").then().statusCode(204);
        as(FleetProfile.ALPHA).get(ORDERS + "?node=a1&wait=0").then().statusCode(200).body("$", hasSize(1));
    }

    @Test
    void aClientThatGoesAwayLeavesNoWaiter() throws Exception {
        double before = gauge();
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + ORDERS + "?node=a1&wait=60 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + FleetProfile.ALPHA + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitHeld(1);
            assertThat(gauge()).isEqualTo(before + 1);
        }
        awaitHeld(0);
        assertThat(gauge()).isEqualTo(before);
        // An order placed now is not lost to the gone client: the next request takes it.
        ActionOrder o = order("a1");
        book.place(o, true);
        placed.fire(new OrderPlaced("alpha", "a1"));
        as(FleetProfile.ALPHA).get(ORDERS + "?node=a1&wait=0").then().statusCode(200).body("[0].id", equalTo(o.id()));
    }

    @Test
    void twoRequestsOfOneNodeGetAnOrderOnce() throws Exception {
        CompletableFuture<HttpResponse<String>> first = hold(FleetProfile.ALPHA, "a1", 3);
        CompletableFuture<HttpResponse<String>> second = hold(FleetProfile.ALPHA, "a1", 3);
        awaitHeld(2);
        ActionOrder o = order("a1");
        book.place(o, true);
        placed.fire(new OrderPlaced("alpha", "a1"));
        // One answers with it at once; the other waits on (the book has nothing more) and ends empty.
        HttpResponse<String> got = CompletableFuture.anyOf(first, second).thenApply(x -> (HttpResponse<String>) x)
                .get(2, TimeUnit.SECONDS);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).contains(o.id());
        HttpResponse<String> other = (got == first.getNow(null) ? second : first).get(10, TimeUnit.SECONDS);
        assertThat(other.statusCode()).isEqualTo(204);
    }

    @Test
    void heldRequestsAreNoWorkInProgressForReadiness() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> held = List.of(hold(FleetProfile.ALPHA, "a1", 2),
                hold(FleetProfile.ALPHA, "a2", 2), hold(FleetProfile.ALPHA, "a3", 2));
        awaitHeld(3);
        // Like the live stream, a held request holds no worker: it must not make the instance look saturated.
        assertThat(capacity.call().getData().orElseThrow().get("requests")).isEqualTo(0L);
        for (CompletableFuture<HttpResponse<String>> h : held) {
            assertThat(h.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
        }
    }

    private double gauge() {
        return registry.get("hulftark.fleet.order.waiters").gauge().value();
    }

    private static io.restassured.specification.RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static io.restassured.specification.RequestSpecification bad(String token) {
        return as(token).filter(Contract.INVALID_REQUEST);
    }
}
