package io.hulftark.fleet.state;

import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Status;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The drift rules of {@link Drift}, one named case each. */
class DriftTest {

    private static final Map<String, String> BASE = Map.of("service", "HULFT8 Service", "$exe_path", "C:\\HULFT8\\bin",
            "$conf_file", "C:\\HULFT8\\etc\\hulenv.cnf", "hulenv.rcvport", "30000", "LKHULFT_TIMEOUT", "300",
            "startType", "Manual");

    @Test
    void identicalNodesDoNotDrift() {
        assertThat(Drift.find(Map.of("n1", facts(res("HULFT", BASE)), "n2", facts(res("HULFT", BASE))), Set.of()))
                .isEmpty();
    }

    @Test
    void aDifferingSettingNamesEachNodesValue() {
        List<DriftItem> drift = Drift.find(Map.of(
                "node-a", facts(res("HULFT", BASE)),
                "node-b", facts(res("HULFT", with(BASE, "LKHULFT_TIMEOUT", "60")))), Set.of());

        assertThat(drift).containsExactly(new DriftItem("HULFT", "LKHULFT_TIMEOUT",
                Map.of("node-a", "300", "node-b", "60")));
        assertThat(drift.get(0).line()).isEqualTo("LKHULFT_TIMEOUT: 300 on node-a, 60 on node-b");
    }

    @Test
    void aSettingOneNodeLacksShowsNotSet() {
        Map<String, String> without = new LinkedHashMap<>(BASE);
        without.remove("hulenv.rcvport");

        assertThat(Drift.find(Map.of("n1", facts(res("HULFT", BASE)), "n2", facts(res("HULFT", without))), Set.of()))
                .containsExactly(new DriftItem("HULFT", "hulenv.rcvport", Map.of("n1", "30000", "n2", "(not set)")));
    }

    @Test
    void anUnreadableValueIsADifference() {
        assertThat(Drift.find(Map.of("n1", facts(res("HULFT", BASE)),
                        "n2", facts(res("HULFT", with(BASE, "hulenv.rcvport", "(unreadable: access denied)")))),
                Set.of())).extracting(DriftItem::key).containsExactly("hulenv.rcvport");
    }

    @Test
    void aNodeWhoseConfIsOnTheSharedDiskInServiceElsewhereIsLeftOutOfItsComparison() {
        Map<String, String> standby = with(with(BASE, "hulenv.rcvport", NodeFacts.ON_SHARED_DISK), "hulenv.digest",
                NodeFacts.ON_SHARED_DISK);
        Map<String, String> active = with(BASE, "hulenv.digest", "ab".repeat(32));

        assertThat(Drift.find(Map.of("n1", facts(res("HULFT", active)), "n2", facts(res("HULFT", standby))),
                Set.of())).isEmpty();
        // Two nodes that can read theirs are still compared.
        assertThat(Drift.find(Map.of("n1", facts(res("HULFT", active)), "n2", facts(res("HULFT", standby)),
                "n3", facts(res("HULFT", with(active, "hulenv.rcvport", "31000")))), Set.of()))
                .containsExactly(new DriftItem("HULFT", "hulenv.rcvport", Map.of("n1", "30000", "n3", "31000")));
    }

    @Test
    void startTypeIsNeverComparedReadinessJudgesIt() {
        assertThat(Drift.find(Map.of("n1", facts(res("HULFT", with(BASE, "startType", "Automatic"))),
                "n2", facts(res("HULFT", BASE))), Set.of())).isEmpty();
    }

    @Test
    void aTagOnOneNodeOnlyIsNotDriftOfItsKeys() {
        assertThat(Drift.find(Map.of("n1", facts(res("HULFT", BASE), res("hulft2", BASE)),
                "n2", facts(res("HULFT", BASE))), Set.of())).isEmpty();
        // A single node has nothing to differ from.
        assertThat(Drift.find(Map.of("n1", facts(res("HULFT", BASE))), Set.of())).isEmpty();
    }

    @Test
    void aDeclaredPerNodeKeyIsNotDriftExactOrByPrefix() {
        Map<String, NodeFacts> facts = Map.of("n1", facts(res("HULFT", BASE)), "n2", facts(res("HULFT",
                with(with(BASE, "$exe_path", "D:\\HULFT8\\bin"), "hulenv.rcvport", "31000"))));

        assertThat(Drift.find(facts, Set.of())).extracting(DriftItem::key)
                .containsExactly("$exe_path", "hulenv.rcvport");
        assertThat(Drift.find(facts, Set.of("$exe_path"))).extracting(DriftItem::key)
                .containsExactly("hulenv.rcvport");
        assertThat(Drift.find(facts, Set.of("$exe_path", "hulenv.*"))).isEmpty();
        // Exact means exact: a key that only starts like a declared one still drifts.
        assertThat(Drift.find(facts, Set.of("$exe", "hulenv."))).hasSize(2);
    }

    @Test
    void osAndLifekeeperVersionDriftAmongTheNodesThatStateThem() {
        NodeFacts a = new NodeFacts(null, null, "0.2", "Windows Server 2022", "10.0.20348", null, null, null, true,
                "10.0.1", List.of(res("HULFT", BASE)), null);
        NodeFacts b = new NodeFacts(null, null, "0.1", "Windows Server 2019", "10.0.17763", null, null, null, true,
                "10.0.2", List.of(res("HULFT", BASE)), null);
        NodeFacts silentOnBoth = new NodeFacts(null, null, "0.2", null, null, null, null, null, null, null,
                List.of(res("HULFT", BASE)), null);

        List<DriftItem> drift = Drift.find(Map.of("n1", a, "n2", b, "n3", silentOnBoth), Set.of());
        assertThat(drift).containsExactly(
                new DriftItem(null, "lifekeeper.version", Map.of("n1", "10.0.1", "n2", "10.0.2")),
                new DriftItem(null, "os", Map.of("n1", "Windows Server 2022 10.0.20348",
                        "n2", "Windows Server 2019 10.0.17763")));
        // Only one node states them: nothing to compare. The agent version is inventory, not drift.
        assertThat(Drift.find(Map.of("n1", a, "n3", silentOnBoth), Set.of())).isEmpty();
        assertThat(Drift.find(Map.of("n1", a, "n2", b), Set.of("os", "lifekeeper.version"))).isEmpty();
    }

    @Test
    void sortedByTagThenKeyNodeFactsFirst() {
        NodeFacts a = new NodeFacts(null, null, null, "Linux", "9", null, null, null, null, null,
                List.of(res("hulft2", BASE), res("HULFT", BASE)), null);
        NodeFacts b = new NodeFacts(null, null, null, "Linux", "8", null, null, null, null, null,
                List.of(res("HULFT", with(with(BASE, "service", "X"), "$debug", "1")),
                        res("hulft2", with(BASE, "LKHULFT_TIMEOUT", "1"))), null);

        assertThat(Drift.find(Map.of("n2", b, "n1", a), Set.of()))
                .extracting(i -> i.tag() + "/" + i.key())
                .containsExactly("null/os", "HULFT/$debug", "HULFT/service", "hulft2/LKHULFT_TIMEOUT");
    }

    @Test
    void linesNameTheTagOnlyWhenTheClusterHasSeveral() {
        DriftItem timeout = new DriftItem("hulft2", "LKHULFT_TIMEOUT", Map.of("n1", "300", "n2", "60"));
        DriftItem os = new DriftItem(null, "os", Map.of("n1", "Linux 9", "n2", "Linux 8"));

        assertThat(Drift.lines(List.of(os, timeout), Set.of("hulft2")))
                .containsExactly("os: Linux 9 on n1, Linux 8 on n2", "LKHULFT_TIMEOUT: 300 on n1, 60 on n2");
        assertThat(Drift.lines(List.of(os, timeout), Set.of("HULFT", "hulft2")))
                .containsExactly("os: Linux 9 on n1, Linux 8 on n2", "hulft2 LKHULFT_TIMEOUT: 300 on n1, 60 on n2");
        // The cluster's tags come from its reports.
        List<NodeReport> reports = List.of(new NodeReport("n1", Instant.EPOCH, List.of(
                new ResourceReport("HULFT", Status.RUNNING, "active", null),
                new ResourceReport("hulft2", Status.STOPPED, "standby", null))));
        assertThat(Drift.tags(reports)).containsExactly("HULFT", "hulft2");
    }

    private static NodeFacts facts(NodeFacts.ResourceFacts... resources) {
        return new NodeFacts(null, null, null, null, null, null, null, null, null, null, List.of(resources), null);
    }

    private static NodeFacts.ResourceFacts res(String tag, Map<String, String> settings) {
        return new NodeFacts.ResourceFacts(tag, settings, List.of());
    }

    private static Map<String, String> with(Map<String, String> settings, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.put(key, value);
        return copy;
    }
}
