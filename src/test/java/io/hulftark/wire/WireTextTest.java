package io.hulftark.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireTextTest {

    /** Characters a name refuses, each with why: every class the rule names. */
    static Stream<Arguments> refusedInNames() {
        return Stream.of(
                Arguments.of("NUL", "\u0000", "control character U+0000"),
                Arguments.of("tab", "\t", "control character U+0009"),
                Arguments.of("line feed", "\n", "control character U+000A"),
                Arguments.of("escape", "\u001B", "control character U+001B"),
                Arguments.of("DEL", "\u007F", "control character U+007F"),
                Arguments.of("C1 NEL", "\u0085", "control character U+0085"),
                Arguments.of("C1 CSI", "\u009B", "control character U+009B"),
                Arguments.of("arabic letter mark", "\u061C", "U+061C"),
                Arguments.of("LRM", "\u200E", "U+200E"),
                Arguments.of("RLM", "\u200F", "U+200F"),
                Arguments.of("LRE", "\u202A", "U+202A"),
                Arguments.of("RLO", "\u202E", "U+202E"),
                Arguments.of("LRI", "\u2066", "U+2066"),
                Arguments.of("PDI", "\u2069", "U+2069"),
                Arguments.of("zero-width space", "\u200B", "U+200B"),
                Arguments.of("ZWNJ", "\u200C", "U+200C"),
                Arguments.of("ZWJ", "\u200D", "U+200D"),
                Arguments.of("word joiner", "\u2060", "U+2060"),
                Arguments.of("BOM", "\uFEFF", "U+FEFF"),
                Arguments.of("line separator", "\u2028", "U+2028"),
                Arguments.of("paragraph separator", "\u2029", "U+2029"),
                Arguments.of("lone high surrogate", "\uD800", "lone surrogate U+D800"),
                Arguments.of("lone low surrogate", "\uDC00", "lone surrogate U+DC00"));
    }

    @ParameterizedTest(name = "a name refuses {0}")
    @MethodSource("refusedInNames")
    void namesRefuse(String what, String c, String problem) {
        assertThat(WireText.nameProblem("tag", "HUL" + c + "FT", 64, true))
                .startsWith("tag holds").contains(problem).contains("at character 3");
        assertThat(WireText.idProblem("node", "n" + c)).isNotNull();
    }

    /** Free texts refuse controls and lone surrogates only: the disguising characters are shown, not refused. */
    @ParameterizedTest(name = "a new free text with {0}")
    @MethodSource("refusedInNames")
    void freeTexts(String what, String c, String problem) {
        String p = WireText.freeTextProblem("reason", "why" + c + "not", 500, true);
        boolean control = c.codePointAt(0) < 0x20 || c.codePointAt(0) >= 0x7F && c.codePointAt(0) <= 0x9F;
        if (control || Character.isSurrogate(c.charAt(0))) {
            assertThat(p).startsWith("reason holds").contains(problem);
        } else {
            assertThat(p).as(what + " is kept in a free text").isNull();
        }
    }

    static Stream<Arguments> neutralised() {
        return Stream.of(
                Arguments.of("plain", "all ports answer", 100, "all ports answer"),
                Arguments.of("C1 NEL", "restore\u0085now", 100, "restore\uFFFDnow"),
                Arguments.of("C0 and DEL", "a\u0000b\u001Bc\u007Fd", 100, "a\uFFFDb\uFFFDc\uFFFDd"),
                Arguments.of("line breaks become blanks", "one\r\ntwo\tthree", 100, "one  two three"),
                Arguments.of("lone surrogates", "x\uD800y\uDFFFz", 100, "x\uFFFDy\uFFFDz"),
                Arguments.of("pairs kept", "\uD83D\uDE00 ok", 100, "\uD83D\uDE00 ok"),
                Arguments.of("bidi and zero-width kept", "a\u202Eb\u200Bc\u2028d", 100, "a\u202Eb\u200Bc\u2028d"),
                Arguments.of("cut at the bound", "abcdef", 4, "abc\u2026"),
                Arguments.of("exactly the bound", "abcd", 4, "abcd"),
                Arguments.of("cut never splits a pair", "ab\uD83D\uDE00\uD83D\uDE00cd", 4, "ab\uD83D\uDE00\u2026"),
                Arguments.of("cut after a pair", "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", 2, "\uD83D\uDE00\u2026"),
                Arguments.of("cut and replaced", "\u0085\u0085\u0085", 2, "\uFFFD\u2026"));
    }

    @ParameterizedTest(name = "neutralise: {0}")
    @MethodSource("neutralised")
    void neutralise(String what, String in, int max, String out) {
        String n = WireText.neutralise(in, max);
        assertThat(n).isEqualTo(out);
        assertThat(n.codePointCount(0, n.length())).isLessThanOrEqualTo(max);
        // What comes out is a free text the rule takes: neutralising twice changes nothing.
        assertThat(WireText.freeTextProblem("text", n, max, true)).isNull();
        assertThat(WireText.neutralise(n, max)).isEqualTo(n);
    }

    @Test
    void neutraliseKeepsNullAndTheSameInstanceWhenClean() {
        assertThat(WireText.neutralise(null, 10)).isNull();
        String s = "RUNNING → FAILED";
        assertThat(WireText.neutralise(s, 100)).isSameAs(s);
        assertThatThrownBy(() -> WireText.neutralise("x", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("a tag", "HULFT", null),
                Arguments.of("a service name with a blank", "HULFT8 S", null),
                Arguments.of("Japanese", "ハルフト", null),
                Arguments.of("missing", null, "tag is missing"),
                Arguments.of("empty", "", "tag is missing"),
                Arguments.of("blank", "   ", "tag is blank"),
                Arguments.of("leading blank", " HULFT", "begins or ends with a blank"),
                Arguments.of("trailing ideographic blank", "HULFT\u3000", "begins or ends with a blank"),
                Arguments.of("too long in code points", "\uD83D\uDE00".repeat(9), "too long: at most 8"),
                Arguments.of("8 pairs fit", "\uD83D\uDE00".repeat(8), null));
    }

    @ParameterizedTest(name = "name: {0}")
    @MethodSource("names")
    void namesTakeWhatCannotDisguiseItself(String what, String value, String problem) {
        String p = WireText.nameProblem("tag", value, 8, true);
        if (problem == null) {
            assertThat(p).isNull();
        } else {
            assertThat(p).contains(problem);
        }
    }

    @Test
    void identifiers() {
        assertThat(WireText.idProblem("cluster", "c-1.prod_x@y")).isNull();
        assertThat(WireText.idProblem("cluster", null)).isEqualTo("cluster is missing");
        assertThat(WireText.idProblem("cluster", "a/b")).contains("is not a name");
        assertThat(WireText.idProblem("cluster", "x".repeat(65))).contains("is not a name");
        assertThat(WireText.isId("x".repeat(64))).isTrue();
    }

    @Test
    void aProblemNeverEchoesTheValue() {
        assertThat(WireText.nameProblem("tag", "secret\u202Eevil", 64, true)).doesNotContain("secret");
        assertThat(WireText.freeTextProblem("reason", "secret\u0085", 64, true)).doesNotContain("secret");
    }
}
