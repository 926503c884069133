package io.hulftark.fleet.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hulftark.wire.Status;
import io.hulftark.fleet.api.FleetProfile;
import io.hulftark.wire.Report;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet view as it runs, with two receivers configured: mail through Quarkus's mailer to a real SMTP server
 * (GreenMail on a free loopback port) and a signed webhook to a real HTTP receiver. Reports arrive over the API.
 */
@QuarkusTest
@TestProfile(NotifyServiceTest.Profile.class)
class NotifyServiceTest {

    static final String SECRET = "service-test-secret-0123456789";
    static GreenMail smtp;
    static TestReceiver hook;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hulftark.role", "fleet", "quarkus.datasource.embedded.active", "true");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FleetProfile.StateDir.class), new TestResourceEntry(Receivers.class));
        }
    }

    /** Starts the SMTP server and the webhook receiver before Quarkus, and points the configuration at them. */
    public static class Receivers implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            ServerSetup setup = ServerSetupTest.SMTP.dynamicPort();
            smtp = new GreenMail(setup);
            smtp.start();
            hook = new TestReceiver(SECRET, "/hulft-ark", Instant::now);
            Map<String, String> c = new HashMap<>();
            c.put("quarkus.mailer.mock", "false");
            c.put("quarkus.mailer.host", "127.0.0.1");
            c.put("quarkus.mailer.port", Integer.toString(smtp.getSmtp().getPort()));
            c.put("quarkus.mailer.from", "fleet@example.test");
            c.put("quarkus.mailer.start-tls", "DISABLED");
            c.put("hulftark.fleet.notify.every", "100ms");
            c.put("hulftark.fleet.notify.receivers.ops-mail.type", "mail");
            c.put("hulftark.fleet.notify.receivers.ops-mail.to", "ops@example.test");
            c.put("hulftark.fleet.notify.receivers.ops-mail.states", "DOWN,SPLIT");
            c.put("hulftark.fleet.notify.receivers.ops-hook.type", "webhook");
            c.put("hulftark.fleet.notify.receivers.ops-hook.url", hook.url().toString());
            c.put("hulftark.fleet.notify.receivers.ops-hook.secret", SECRET);
            c.put("hulftark.fleet.notify.receivers.ops-hook.clusters", "al*");
            return c;
        }

        @Override
        public void stop() {
            if (smtp != null) {
                smtp.stop();
            }
            if (hook != null) {
                hook.close();
            }
        }
    }

    private final AtomicLong seq = new AtomicLong(1);
    private final Instant started = Instant.now().minusSeconds(60);

    private void report(String node, Status status) {
        Instant now = Instant.now();
        Report r = new Report("alpha", node, "test", started, seq.incrementAndGet(), now,
                List.of(new Report.Resource("HULFT", "HULFT8", status, status == Status.RUNNING ? "active" : "standby",
                        now, status + " for the test", now,
                        List.of(new Report.Port("port", 30000, status == Status.RUNNING, 90, null)))), List.of(), 0);
        given().header("Authorization", "Bearer " + FleetProfile.ALPHA).contentType(ContentType.JSON).body(r)
                .post("/api/v1/fleet/reports").then().statusCode(202);
    }

    private static List<String> subjects() throws Exception {
        return Arrays.stream(smtp.getReceivedMessages()).map(m -> {
            try {
                return m.getSubject();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aProblemAndItsEndReachMailAndWebhookOnceEach() throws Exception {
        report("a1", Status.RUNNING);
        report("a2", Status.STOPPED);
        report("a1", Status.STOPPED); // DOWN
        await("the problem's mail", () -> smtp.getReceivedMessages().length >= 1);
        report("a1", Status.RUNNING); // OK again
        await("the resolved mail", () -> smtp.getReceivedMessages().length >= 2);
        await("both webhooks", () -> hook.received.size() >= 2);
        Thread.sleep(500); // a duplicate would come now

        assertThat(subjects()).hasSize(2);
        assertThat(subjects().get(0)).startsWith("[hulft-ark] alpha is DOWN (was OK): no node serves HULFT");
        assertThat(subjects().get(1)).isEqualTo("[hulft-ark] alpha is OK again (was DOWN): resolved");
        MimeMessage first = smtp.getReceivedMessages()[0];
        assertThat(first.getAllRecipients()[0].toString()).isEqualTo("ops@example.test");
        assertThat(first.getHeader(Signature.DELIVERY)).isNotEmpty();
        assertThat(hook.changes()).containsExactly("alpha PROBLEM DOWN", "alpha RESOLVED OK");
        assertThat(hook.received).allMatch(TestReceiver.Received::signatureValid);
    }
}
