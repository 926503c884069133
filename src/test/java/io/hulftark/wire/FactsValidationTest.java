package io.hulftark.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A report's facts (issue 13): structure and bounds are faults, free texts neutralised, secrets never kept. */
class FactsValidationTest {

    static final Instant T = ReportValidatorTest.T;
    static final String DIGEST = "0123456789abcdef".repeat(4);

    static NodeFacts facts(List<NodeFacts.ResourceFacts> resources) {
        return new NodeFacts(DIGEST, T, "0.2.0", "Windows Server 2022", "10.0.20348", "17.0.13", "node-a", "windows",
                true, "9.8.1", resources, T);
    }

    static NodeFacts.ResourceFacts resource(String tag, Map<String, String> settings, NodeFacts.PreflightRow... rows) {
        return new NodeFacts.ResourceFacts(tag, settings, List.of(rows));
    }

    static Report report(NodeFacts facts) {
        return ReportValidatorTest.good().withFacts(facts);
    }

    @Test
    void goodFactsPass() {
        NodeFacts f = facts(List.of(resource("HULFT", Map.of("$exe_path", "E:\\HULFT\\bin", "LKHULFT_TIMEOUT", "300"),
                new NodeFacts.PreflightRow("conf_file", "FAIL", "E:\\hulenv.cnf is not readable"))));
        assertThat(ReportValidator.problem(report(f))).isEmpty();
        assertThat(ReportValidator.problem(report(null))).isEmpty();
    }

    static Stream<Arguments> faults() {
        NodeFacts.ResourceFacts ok = resource("HULFT", Map.of("probe", "tcp"));
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("probe", null);
        Map<String, String> tooMany = IntStream.range(0, NodeFacts.MAX_SETTINGS + 1).boxed()
                .collect(Collectors.toMap(i -> "k" + i, i -> "v"));
        return Stream.of(
                Arguments.of("no digest", new NodeFacts(null, T, null, null, null, null, null, null, null, null, null,
                        null), "facts.digest is missing"),
                Arguments.of("digest in capitals", new NodeFacts(DIGEST.toUpperCase(), T, null, null, null, null, null,
                        null, null, null, null, null), "facts.digest is not a SHA-256"),
                Arguments.of("short digest", new NodeFacts("abc", T, null, null, null, null, null, null, null, null,
                        null, null), "facts.digest is not a SHA-256"),
                Arguments.of("validatedAt in the year 10000", new NodeFacts(DIGEST, T, null, null, null, null, null,
                        null, null, null, null, Instant.parse("+10000-01-01T00:00:00Z")), "facts.validatedAt"),
                Arguments.of("too many resources", facts(Collections.nCopies(65, ok)), "facts has too many resources"),
                Arguments.of("no tag", facts(List.of(resource(null, Map.of()))), "facts.resources[0].tag is missing"),
                Arguments.of("a tag twice", facts(List.of(ok, ok)), "facts.resources[1].tag appears twice"),
                Arguments.of("bidi control in a tag", facts(List.of(resource("HUL\u202EFT", Map.of()))),
                        "facts.resources[0].tag holds U+202E"),
                Arguments.of("too many settings", facts(List.of(resource("HULFT", tooMany))), "too many settings"),
                Arguments.of("a control in a key", facts(List.of(resource("HULFT", Map.of("a\u0007b", "1")))),
                        "facts.resources[0].settings key holds a control character"),
                Arguments.of("a key too long", facts(List.of(resource("HULFT", Map.of("k".repeat(65), "1")))),
                        "settings key is too long"),
                Arguments.of("a value missing", facts(List.of(resource("HULFT", nullValue))),
                        "facts.resources[0].settings.probe has no value"),
                Arguments.of("too many rows", facts(List.of(new NodeFacts.ResourceFacts("HULFT", Map.of(),
                        Collections.nCopies(65, new NodeFacts.PreflightRow("c", "OK", null))))), "too many preflight rows"),
                Arguments.of("a row without check", facts(List.of(resource("HULFT", Map.of(),
                        new NodeFacts.PreflightRow(null, "OK", null)))), "facts.resources[0].preflight[0].check is missing"),
                Arguments.of("a row's result unknown", facts(List.of(resource("HULFT", Map.of(),
                        new NodeFacts.PreflightRow("conf_file", "BROKEN", null)))), "preflight[0].result must be OK, WARN or FAIL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aFaultNamesTheFirstProblem(String name, NodeFacts facts, String expected) {
        assertThat(ReportValidator.problem(report(facts))).hasValueSatisfying(p -> assertThat(p).contains(expected));
    }

    @Test
    void aBadKeyIsNotEchoed() {
        String p = ReportValidator.problem(report(facts(List.of(resource("HULFT", Map.of("pass\u0000word=hunter2", "x"))))))
                .orElseThrow();
        assertThat(p).doesNotContain("hunter2");
    }

    @Test
    void freeTextsAreNeutralisedNeverRefused() {
        NodeFacts f = new NodeFacts(DIGEST, T, "0.2\u0000", "Linux\nEvil", "x".repeat(500), "17", "host\u0085", "linux",
                false, null, List.of(resource("HULFT", Map.of("probe", "tcp\r\nport"),
                new NodeFacts.PreflightRow("conf_file", "FAIL", "not\u001Breadable " + "y".repeat(2000)))), T);
        assertThat(ReportValidator.problem(report(f))).isEmpty();
        NodeFacts kept = ReportValidator.neutralised(report(f)).facts();
        assertThat(kept.agentVersion()).isEqualTo("0.2" + WireText.REPLACEMENT);
        assertThat(kept.os()).isEqualTo("Linux Evil");
        assertThat(kept.osVersion().codePointCount(0, kept.osVersion().length())).isEqualTo(128);
        assertThat(kept.host()).isEqualTo("host" + WireText.REPLACEMENT);
        assertThat(kept.resources().get(0).settings()).containsEntry("probe", "tcp  port");
        String detail = kept.resources().get(0).preflight().get(0).detail();
        assertThat(detail).startsWith("not" + WireText.REPLACEMENT + "readable").endsWith(WireText.CUT);
        assertThat(detail.codePointCount(0, detail.length())).isEqualTo(ReportValidator.MAX_TEXT);
        assertThat(kept.digest()).isEqualTo(DIGEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "DB_PASSWORD", "hulftark.fleet.passwd", "pwd", "Secret", "client-secret",
            "hulftark.agent.token", "ACCESS_TOKEN", "credentials", "private_key", "privateKey", "api-key", "apikey",
            "X_API_KEY", "api.key", "hulftark.PassWord.file"})
    void aSecretLookingKeyIsDropped(String key) {
        assertThat(ReportValidator.secretKey(key)).isTrue();
        NodeFacts kept = ReportValidator.neutralised(report(facts(List.of(resource("HULFT",
                Map.of(key, "s3cr3t-value", "LKHULFT_TIMEOUT", "300")))))).facts();
        assertThat(kept.resources().get(0).settings()).containsOnlyKeys("LKHULFT_TIMEOUT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$exe_path", "LKHULFT_TIMEOUT", "hulenv.rcvport", "hulenv.digest", "service", "startType",
            "probe", "hulftark.agent.port"})
    void anOrdinaryKeyIsKept(String key) {
        assertThat(ReportValidator.secretKey(key)).isFalse();
    }

    @Test
    void aValueWithUrlUserinfoIsHidden() {
        NodeFacts f = facts(List.of(resource("HULFT", Map.of("hulftark.fleet.url", "https://admin:hunter2@fleet:8443/",
                        "hulftark.mirror", "http://tok3n@mirror/x", "hulftark.plain", "https://fleet:8443/a@b"),
                new NodeFacts.PreflightRow("fleet", "FAIL", "cannot reach postgresql://u:pw@db/fleet"))));
        NodeFacts kept = ReportValidator.neutralised(report(f)).facts();
        Map<String, String> settings = kept.resources().get(0).settings();
        assertThat(settings).containsEntry("hulftark.fleet.url", ReportValidator.HIDDEN)
                .containsEntry("hulftark.mirror", ReportValidator.HIDDEN)
                .containsEntry("hulftark.plain", "https://fleet:8443/a@b");
        assertThat(kept.resources().get(0).preflight().get(0).detail()).isEqualTo(ReportValidator.HIDDEN);
    }
}
