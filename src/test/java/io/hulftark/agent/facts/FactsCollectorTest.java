package io.hulftark.agent.facts;

import io.hulftark.kit.KitParameters;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.NodeFacts.PreflightRow;
import io.hulftark.wire.NodeFacts.ResourceFacts;
import io.hulftark.wire.WireText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The node's facts from files: the documented keys, unreadable values, neutralised texts, and a stable digest. */
class FactsCollectorTest {

    @TempDir
    Path dir;

    private final Map<String, String> services = new LinkedHashMap<>(Map.of("hulft", "HULFT Service"));
    private final MutableClock clock = new MutableClock();

    @Test
    void eachResourceHoldsExactlyTheDocumentedKeys() throws IOException {
        NodeFacts facts = collector(conf("rcvport=30000\nobsport=31000\nmyhostname=hulft-vip\n"), defaults(
                "LKHULFT_TIMEOUT=120\nLKHULFT_RETRIES=3\nLKHULFT_FORCE_REMOVE=0\n"), null).collect();

        ResourceFacts r = facts.resources().get(0);
        assertThat(r.tag()).isEqualTo("hulft");
        assertThat(r.settings()).containsOnlyKeys("service", "$debug", "$exe_path", "$conf_file", "hulenv.rcvport",
                "hulenv.obsport", "hulenv.myhostname", "hulenv.digest", "probe", "LKHULFT_TIMEOUT", "LKHULFT_RETRIES",
                "LKHULFT_FORCE_REMOVE", "hulftark.agent.check-interval");
        assertThat(r.settings()).containsEntry("service", "HULFT Service").containsEntry("$debug", "false")
                .containsEntry("hulenv.rcvport", "30000").containsEntry("hulenv.obsport", "31000")
                .containsEntry("hulenv.myhostname", "hulft-vip").containsEntry("probe", "tcp")
                .containsEntry("LKHULFT_TIMEOUT", "120").containsEntry("LKHULFT_RETRIES", "3")
                .containsEntry("LKHULFT_FORCE_REMOVE", "0").containsEntry("hulftark.agent.check-interval", "10s")
                .containsEntry("hulenv.digest", sha256(Files.readAllBytes(dir.resolve("hulenv.cnf"))));
        assertThat(r.preflight()).isEmpty();
        assertThat(facts.lifekeeper()).isTrue();
        assertThat(facts.lifekeeperVersion()).isNull();
        assertThat(facts.validatedAt()).isNull();
        assertThat(facts.digest()).matches("[0-9a-f]{64}");
    }

    @Test
    void equalFactsGiveEqualDigestsWhateverTheTimeOfCollection() throws IOException {
        FactsCollector c = collector(conf("rcvport=30000\n"), defaults("LKHULFT_TIMEOUT=300\n"), null);

        NodeFacts first = c.collect();
        clock.now = clock.now.plusSeconds(60);
        NodeFacts second = c.collect();

        assertThat(second.collectedAt()).isNotEqualTo(first.collectedAt());
        assertThat(second.digest()).isEqualTo(first.digest()).isEqualTo(FactsCollector.digest(second));
    }

    @Test
    void aChangeOfTheDefaultsFileOrHulenvShowsAtTheNextCollection() throws IOException {
        Path conf = conf("rcvport=30000\n");
        Path defaults = defaults("LKHULFT_TIMEOUT=300\n");
        FactsCollector c = collector(conf, defaults, null);
        NodeFacts before = c.collect();

        Files.writeString(defaults, "LKHULFT_TIMEOUT=60\n");
        NodeFacts timeout = c.collect();
        assertThat(timeout.resources().get(0).settings()).containsEntry("LKHULFT_TIMEOUT", "60");
        assertThat(timeout.digest()).isNotEqualTo(before.digest());

        Files.writeString(defaults, "LKHULFT_TIMEOUT=300\n");
        assertThat(c.collect().digest()).as("put back").isEqualTo(before.digest());

        // A comment changes no port, yet the file differs: its digest says so.
        Files.writeString(conf, "# moved\nrcvport=30000\n");
        NodeFacts comment = c.collect();
        assertThat(comment.resources().get(0).settings()).containsEntry("hulenv.rcvport", "30000");
        assertThat(comment.digest()).isNotEqualTo(before.digest());
    }

    @Test
    void anUnreadableConfFileSaysWhyInOneLine() throws IOException {
        NodeFacts facts = collector(dir.resolve("missing.cnf"), defaults(""), null).collect();

        Map<String, String> s = facts.resources().get(0).settings();
        assertThat(s.get("hulenv.digest")).startsWith("(unreadable: ").endsWith("no such file)").doesNotContain("\n");
        assertThat(s).doesNotContainKeys("hulenv.rcvport", "hulenv.myhostname");
    }

    @Test
    void aConfFileOnTheSharedDiskInServiceElsewhereIsMarkedNotCompared() throws IOException {
        FactsCollector c = new FactsCollector(node("1.2.3"), new FactsCollector.Sources(Optional.of(dir),
                Optional.of(defaults("")), Optional.empty(), parameters(dir.resolve("missing.cnf")), true),
                () -> services, Map.of(), null, clock);

        Map<String, String> s = c.collect().resources().get(0).settings();

        assertThat(s).containsEntry("hulenv.digest", NodeFacts.ON_SHARED_DISK)
                .containsEntry("hulenv.myhostname", NodeFacts.ON_SHARED_DISK)
                .containsEntry("hulenv.rcvport", NodeFacts.ON_SHARED_DISK);
    }

    @Test
    void anInvalidConfFileStillHasItsDigest() throws IOException {
        Path conf = conf("rcvport=70000\n");
        Map<String, String> s = collector(conf, defaults(""), null).collect().resources().get(0).settings();

        assertThat(s.get("hulenv.digest")).isEqualTo(sha256(Files.readAllBytes(conf)));
        assertThat(s.get("hulenv.myhostname")).startsWith("(unreadable: ").contains("is not a port number");
    }

    @Test
    void withoutLifeKeeperTheBuiltInDefaultsAreTheEffectiveValues() throws IOException {
        KitParameters p = parameters(conf("rcvport=30000\n"));
        FactsCollector c = new FactsCollector(node("dev"), new FactsCollector.Sources(Optional.empty(),
                Optional.empty(), Optional.empty(), p), () -> services, Map.of(), null, clock);

        NodeFacts facts = c.collect();

        assertThat(facts.lifekeeper()).isFalse();
        assertThat(facts.resources().get(0).settings()).containsEntry("LKHULFT_TIMEOUT", "300")
                .containsEntry("LKHULFT_RETRIES", "2").containsEntry("LKHULFT_FORCE_REMOVE", "1");
    }

    @Test
    void theLastPreflightGoesWithItsStartTypeAndTime() throws Exception {
        Readiness readiness = new Readiness(() -> List.of("hulft"), tag -> new Readiness.Outcome(List.of(
                new PreflightRow("conf_file", PreflightRow.FAIL, "E:\\HULFT\\hulenv.cnf: access denied\u0007")),
                Optional.of("auto")), clock, () -> { });
        try (readiness) {
            FactsCollector c = collector(conf("rcvport=30000\n"), defaults(""), readiness);
            String before = c.collect().digest();

            readiness.runNow(Duration.ofSeconds(10));
            NodeFacts facts = c.collect();

            ResourceFacts r = facts.resources().get(0);
            assertThat(r.settings()).containsEntry("startType", "auto");
            assertThat(r.preflight()).containsExactly(new PreflightRow("conf_file", PreflightRow.FAIL,
                    "E:\\HULFT\\hulenv.cnf: access denied" + WireText.REPLACEMENT));
            assertThat(facts.validatedAt()).isEqualTo(clock.now);
            assertThat(facts.digest()).isNotEqualTo(before);
        }
    }

    @Test
    void freeTextsAreNeutralisedAndCutToTheWiresBounds() throws IOException {
        String longPath = "x".repeat(NodeFacts.MAX_VALUE + 50);
        KitParameters p = new KitParameters(Optional.of(dir.resolve(longPath.substring(0, 200))),
                Optional.of(conf("myhostname=vip\n")), false, 2, Duration.ofSeconds(300), true,
                KitParameters.ProbeKind.UTLALIVECHECK, Optional.empty(), Duration.ofSeconds(5),
                Duration.ofSeconds(5), false);
        services.clear();
        services.put("tag\u0085x", "HULFT\nService");
        FactsCollector c = new FactsCollector(new FactsCollector.Node("1.0\u0000", "Linux", "6.1", "17 (x)",
                "h".repeat(400), "linux"), new FactsCollector.Sources(Optional.empty(), Optional.empty(),
                Optional.empty(), p), () -> services, Map.of("agent.check-interval", longPath), null, clock);

        NodeFacts facts = c.collect();

        assertThat(facts.agentVersion()).isEqualTo("1.0" + WireText.REPLACEMENT);
        assertThat(facts.host().codePointCount(0, facts.host().length())).isEqualTo(256);
        ResourceFacts r = facts.resources().get(0);
        assertThat(r.tag()).isEqualTo("tag" + WireText.REPLACEMENT + "x");
        assertThat(r.settings()).containsEntry("service", "HULFT Service").containsEntry("probe", "utlalivecheck");
        assertThat(r.settings().get("hulftark.agent.check-interval")).hasSize(NodeFacts.MAX_VALUE)
                .endsWith(WireText.CUT);
    }

    private FactsCollector collector(Path conf, Path defaults, Readiness readiness) {
        return new FactsCollector(node("1.2.3"), new FactsCollector.Sources(Optional.of(dir), Optional.of(defaults),
                Optional.empty(), parameters(conf)), () -> services, Map.of("agent.check-interval", "10s"),
                readiness, clock);
    }

    private KitParameters parameters(Path conf) {
        return new KitParameters(Optional.of(dir.resolve("bin")), Optional.of(conf), false, 2,
                Duration.ofSeconds(300), true, KitParameters.ProbeKind.TCP, Optional.empty(), Duration.ofSeconds(5),
                Duration.ofSeconds(5), false);
    }

    private static FactsCollector.Node node(String version) {
        return new FactsCollector.Node(version, "Linux", "6.1.0", "17.0.13 (Eclipse Adoptium)", "node-a", "linux");
    }

    private Path conf(String text) throws IOException {
        return Files.writeString(dir.resolve("hulenv.cnf"), text);
    }

    private Path defaults(String text) throws IOException {
        return Files.writeString(dir.resolve("LifeKeeper"), text);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static final class MutableClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-07T03:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
