package io.hulftark.agent;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** hulftark.agent.labels: what is taken, and the one line a bad value stops the start with. */
class LabelsTest {

    @Test
    void pairsInKeyOrderBlanksAroundIgnored() {
        assertThat(Labels.parse("site=osaka, env=prod")).containsExactly(Map.entry("env", "prod"),
                Map.entry("site", "osaka"));
        assertThat(Labels.parse("rack_2=b 12")).containsEntry("rack_2", "b 12");
        assertThat(Labels.parse("owner=運用チーム")).containsEntry("owner", "運用チーム");
    }

    @Test
    void noneWhenAbsentOrBlank() {
        assertThat(Labels.parse(null)).isEmpty();
        assertThat(Labels.parse("  ")).isEmpty();
    }

    @Test
    void aBadValueNamesTheKeyOnOneLine() {
        assertBad("site", "'site' is not KEY=VALUE");
        assertBad("Site=osaka", "the key 'Site' is not a label key");
        assertBad("1site=osaka", "is not a label key");
        assertBad("s-ite=osaka", "is not a label key");
        assertBad("k" + "x".repeat(63) + "=v", "is not a label key");
        assertBad("site=", "the value of site is missing");
        assertBad("site=osaka,", "'' is not KEY=VALUE");
        assertBad("site=a\u0007b", "the value of site holds a control character U+0007");
        assertBad("site=a\u202Eb", "U+202E");
        assertBad("site=" + "x".repeat(129), "too long: at most 128");
        assertBad("site=a,site=b", "the key site appears twice");
        String many = IntStream.range(0, 33).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));
        assertBad(many, "33 labels: at most 32");
        assertThat(Labels.parse(many.substring(0, many.lastIndexOf(',')))).hasSize(32);
    }

    private static void assertBad(String value, String why) {
        assertThatThrownBy(() -> Labels.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hulftark.agent.labels: ").hasMessageContaining(why)
                .hasMessageNotContaining("\n");
    }
}
