package io.hulftark.agent.facts;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Only listed keys leave the node, and a listed value that looks like a credential is withheld. */
class KitSettingsTest {

    @Test
    void keysThatAreNotListedNeverGoOutWhateverTheyAreCalled() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("fleet.token", "hak_secret-token");
        given.put("agent.xyz-password", "hunter2");
        given.put("fleet.url", "https://user:pass@fleet:8443");
        given.put("agent.check-interval", "10s");
        given.put("probe-host", "hulft-vip");

        assertThat(KitSettings.guarded(given)).containsOnly(Map.entry("agent.check-interval", "10s"),
                Map.entry("probe-host", "hulft-vip"));
    }

    @Test
    void aListedValueWithUserinfoIsWithheld() {
        assertThat(KitSettings.guarded(Map.of("probe-host", "admin:s3cret@hulft-vip")))
                .containsOnly(Map.entry("probe-host", KitSettings.WITHHELD));
    }

    @Test
    void durationsReadAsAPersonWritesThem() {
        assertThat(KitSettings.duration(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(KitSettings.duration(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(KitSettings.duration(Duration.ofSeconds(90))).isEqualTo("1m30s");
    }
}
