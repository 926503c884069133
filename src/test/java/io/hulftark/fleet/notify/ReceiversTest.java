package io.hulftark.fleet.notify;

import io.hulftark.fleet.state.ClusterState;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A mistake in a receiver's keys is one line naming the key, and never shows the URL or the secret. */
class ReceiversTest {

    record R(NotifyConfig.Kind type, Optional<URI> url, Optional<String> secret, Optional<List<String>> to,
             Set<ClusterState> states, List<String> clusters, Map<String, String> labels, Duration repeat,
             int foldAbove, Duration timeout, Duration maxBackoff) implements NotifyConfig.Receiver {
    }

    static R webhook(String url, String secret) {
        return new R(NotifyConfig.Kind.WEBHOOK, Optional.ofNullable(url).map(URI::create), Optional.ofNullable(secret),
                Optional.empty(), Set.of(ClusterState.DOWN), List.of("*"), Map.of(), Duration.ofHours(1), 10,
                Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    static String problem(NotifyConfig.Receiver r) {
        try {
            Receivers.build(Map.of("ops", r), Clock.systemUTC(), Optional.empty());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void eachMistakeIsOneLineNamingTheKey() {
        String secret = "0123456789abcdef-secret";
        assertThat(problem(webhook("https://hooks.example/x?token=abcdef123456", secret))).isNull();
        assertThat(problem(webhook(null, secret))).isEqualTo(
                "hulftark.fleet.notify.receivers.ops.url is required for a webhook receiver");
        assertThat(problem(webhook("ftp://hooks.example/tok-abcdef123456", secret)))
                .isEqualTo("hulftark.fleet.notify.receivers.ops.url must be an http:// or https:// URL with a host")
                .doesNotContain("tok-abcdef123456");
        assertThat(problem(webhook("https://hooks.example/", null))).startsWith(
                "hulftark.fleet.notify.receivers.ops.secret is required for a webhook receiver");
        assertThat(problem(webhook("https://hooks.example/", "short"))).isEqualTo(
                "hulftark.fleet.notify.receivers.ops.secret must be at least 16 characters");
        R mail = new R(NotifyConfig.Kind.MAIL, Optional.empty(), Optional.empty(), Optional.empty(),
                Set.of(ClusterState.DOWN), List.of("*"), Map.of(), Duration.ZERO, 10, Duration.ofSeconds(10),
                Duration.ofMinutes(5));
        assertThat(problem(mail)).isEqualTo("hulftark.fleet.notify.receivers.ops.to is required for a mail receiver");
        R noFold = new R(NotifyConfig.Kind.CHAT, Optional.of(URI.create("https://chat.example/hook")),
                Optional.empty(), Optional.empty(), Set.of(ClusterState.DOWN), List.of("*"), Map.of(), Duration.ZERO,
                0, Duration.ofSeconds(10), Duration.ofMinutes(5));
        assertThat(problem(noFold)).isEqualTo("hulftark.fleet.notify.receivers.ops.fold-above must be 1 or more, not 0");
    }

    @Test
    void theRedactorKnowsEveryCredentialOfTheConfiguration() {
        Redactor r = new Redactor(Receivers.secrets(Map.of("ops", webhook(
                "https://user:pa55word@hooks.example/services/T0/XYZSECRET?sig=abcdef123456", "0123456789abcdef-secret")),
                Optional.of("smtp-password")));
        assertThat(r.apply("a https://user:pa55word@hooks.example/services/T0/XYZSECRET?sig=abcdef123456 b "
                + "/services/T0/XYZSECRET c sig=abcdef123456 d 0123456789abcdef-secret e smtp-password"))
                .doesNotContain("XYZSECRET", "abcdef123456", "0123456789abcdef-secret", "smtp-password", "pa55word");
    }
}
