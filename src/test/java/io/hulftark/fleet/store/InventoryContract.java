package io.hulftark.fleet.store;

import io.hulftark.fleet.view.InventoryCounts;
import io.hulftark.fleet.view.InventoryNode;
import io.hulftark.fleet.view.InventoryPage;
import io.hulftark.fleet.view.InventoryQuery;
import io.hulftark.fleet.view.InventoryQuery.Sort;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.Report;
import io.hulftark.wire.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The inventory's contract (FleetStore#inventory, #exportInventory, #inventoryCounts), run on each database by a
 * subclass, on reports with facts through the ingest. Four known nodes and one forgotten (alpha drifts: its nodes'
 * OS versions differ):
 * <pre>
 * alpha/a1  agent 1.0.0  Windows Server 2022 10.0.20348  17.0.13  LifeKeeper 9.8.0   site=osaka env=prod  host ALPHA-1.example
 * alpha/a2  agent 0.1.0  Windows Server 2019 10.0.17763  17.0.13  LifeKeeper, version unknown  site=osaka  2 failing rows
 * beta/b1   agent 1.0.0  Red Hat Enterprise Linux 9.4    21.0.5   no LifeKeeper      site=tokyo env=prod
 * beta/b2   agent 1.0.0  no facts                                                      (silent since T0 - 100 s)
 * delta/d1  forgotten
 * </pre>
 */
abstract class InventoryContract {

    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    static final Instant STARTED = T0.minus(Duration.ofHours(1));
    static final Duration FRESH_FOR = Duration.ofSeconds(35);
    static final Instant NOW = T0.plusSeconds(3);

    protected FleetStore store;

    /** A store on an empty, migrated database. */
    protected abstract FleetStore openEmpty();

    /** The database under {@link #store}, for what the ingest does not write yet. */
    protected abstract DataSource dataSource();

    protected abstract void closeStore();

    @BeforeEach
    void open() {
        store = openEmpty();
        node("alpha", "a1", "1.0.0", Map.of("site", "osaka", "env", "prod"), T0,
                facts("1", "Windows Server 2022", "10.0.20348", "17.0.13", "ALPHA-1.example", true, "9.8.0"), 0);
        node("alpha", "a2", "0.1.0", Map.of("site", "osaka"), T0.plusSeconds(1),
                facts("2", "Windows Server 2019", "10.0.17763", "17.0.13", "alpha-2", true, null), 2);
        node("beta", "b1", "1.0.0", Map.of("site", "tokyo", "env", "prod"), T0.plusSeconds(2),
                facts("3", "Red Hat Enterprise Linux", "9.4", "21.0.5", "b1.host", false, null), 0);
        node("beta", "b2", "1.0.0", Map.of(), T0.minusSeconds(100), null, 0);
        node("delta", "d1", "1.0.0", Map.of("site", "osaka"), T0,
                facts("4", "Windows Server 2022", "10.0.20348", "17.0.13", "d1", true, "9.8.0"), 0);
        assertThat(store.forgetNode("delta", "d1", "alice", T0)).isTrue();
    }

    @AfterEach
    void close() {
        closeStore();
    }

    // ---------------------------------------------------------------- fixture

    static NodeFacts facts(String digit, String os, String osVersion, String jvm, String host, boolean lifekeeper,
                           String lifekeeperVersion) {
        return new NodeFacts(digit.repeat(64), T0, "1.0.0", os, osVersion, jvm, host, "windows", lifekeeper,
                lifekeeperVersion, List.of(new NodeFacts.ResourceFacts("HULFT", Map.of("service", "HULFT8 Service",
                "$exe_path", "C:\\HULFT Family\\hulft8\\bin"), List.of())), T0.minusSeconds(60));
    }

    /** The same facts with this many failing preflight rows (and one that passes). */
    static NodeFacts failing(NodeFacts f, int rows) {
        List<NodeFacts.PreflightRow> preflight = new ArrayList<>();
        preflight.add(new NodeFacts.PreflightRow("exe_path", NodeFacts.PreflightRow.OK, "found"));
        for (int i = 0; i < rows; i++) {
            preflight.add(new NodeFacts.PreflightRow("conf_file" + i, NodeFacts.PreflightRow.FAIL, "not readable"));
        }
        return new NodeFacts(f.digest(), f.collectedAt(), f.agentVersion(), f.os(), f.osVersion(), f.jvm(), f.host(),
                f.platform(), f.lifekeeper(), f.lifekeeperVersion(), List.of(new NodeFacts.ResourceFacts("HULFT",
                f.resources().get(0).settings(), preflight)), f.validatedAt());
    }

    /** Reports the node, with its facts when it has any, through the ingest, which keeps what the inventory reads. */
    void node(String cluster, String node, String agentVersion, Map<String, String> labels, Instant at,
              NodeFacts facts, int failingRows) {
        Report.Resource r = new Report.Resource("HULFT", "HULFT8 Service", Status.RUNNING, "active",
                T0.minusSeconds(600), null, at, List.of(new Report.Port("rcvport", 30000, true, 250, null)));
        store.ingest(new Report(cluster, node, agentVersion, STARTED, at.getEpochSecond() - T0.getEpochSecond() + 1000,
                at, List.of(r), List.of(), 0, null, labels, null, null,
                facts == null ? null : failing(facts, failingRows)), at);
    }

    /** A query builder: everything absent, cluster order, the first 100. */
    static final class Q {
        Optional<String> cluster = Optional.empty();
        Optional<String> q = Optional.empty();
        Optional<String> agentVersion = Optional.empty();
        Optional<String> os = Optional.empty();
        Optional<String> jvm = Optional.empty();
        Optional<String> lifekeeper = Optional.empty();
        Map<String, String> labels = new LinkedHashMap<>();
        Optional<Boolean> readiness = Optional.empty();
        Sort sort = Sort.CLUSTER;
        boolean descending;
        int offset;
        int limit = 100;

        InventoryQuery build() {
            return new InventoryQuery(cluster, q, agentVersion, os, jvm, lifekeeper, labels, readiness, sort,
                    descending, offset, limit);
        }
    }

    static Q q() {
        return new Q();
    }

    /** The page's nodes as cluster/node. */
    List<String> names(Q query) {
        return store.inventory(query.build(), NOW).nodes().stream().map(n -> n.cluster() + "/" + n.node()).toList();
    }

    List<String> exported(Q query) {
        List<String> names = new ArrayList<>();
        store.exportInventory(query.build(), NOW, n -> names.add(n.cluster() + "/" + n.node()));
        return names;
    }

    // ---------------------------------------------------------------- tests

    @Test
    void everyKnownNodeInClusterThenNodeOrderNeverAForgottenOne() {
        InventoryPage page = store.inventory(q().build(), NOW);
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.offset()).isZero();
        assertThat(page.limit()).isEqualTo(100);
        assertThat(names(q())).containsExactly("alpha/a1", "alpha/a2", "beta/b1", "beta/b2");
    }

    @Test
    void aNodeShowsWhatItsFactsSayAndWhereItStands() {
        Map<String, InventoryNode> nodes = new LinkedHashMap<>();
        store.inventory(q().build(), NOW).nodes().forEach(n -> nodes.put(n.node(), n));
        InventoryNode a1 = nodes.get("a1");
        assertThat(a1.cluster()).isEqualTo("alpha");
        assertThat(a1.receivedAt()).isEqualTo(T0);
        assertThat(a1.fresh()).isTrue();
        assertThat(a1.agentVersion()).isEqualTo("1.0.0");
        assertThat(a1.os()).isEqualTo("Windows Server 2022");
        assertThat(a1.osVersion()).isEqualTo("10.0.20348");
        assertThat(a1.jvm()).isEqualTo("17.0.13");
        assertThat(a1.host()).isEqualTo("ALPHA-1.example");
        assertThat(a1.platform()).isEqualTo("windows");
        assertThat(a1.lifekeeper()).isTrue();
        assertThat(a1.lifekeeperVersion()).isEqualTo("9.8.0");
        assertThat(a1.labels()).containsExactly(entry("env", "prod"), entry("site", "osaka"));
        assertThat(a1.factsAt()).isEqualTo(T0);
        assertThat(a1.validatedAt()).isEqualTo(T0.minusSeconds(60));
        assertThat(a1.readinessFailures()).isZero();
        assertThat(a1.drifting()).as("a1 and a2 run other OS versions").isTrue();

        assertThat(nodes.get("a2").readinessFailures()).isEqualTo(2);
        assertThat(nodes.get("a2").lifekeeper()).isTrue();
        assertThat(nodes.get("a2").lifekeeperVersion()).isNull();
        assertThat(nodes.get("b1").lifekeeper()).isFalse();
        assertThat(nodes.get("b1").drifting()).as("b2 sent no facts to compare").isFalse();

        InventoryNode b2 = nodes.get("b2");
        assertThat(b2.fresh()).isFalse();
        assertThat(b2.drifting()).isFalse();
        assertThat(b2.agentVersion()).isEqualTo("1.0.0");
        assertThat(b2.os()).isNull();
        assertThat(b2.jvm()).isNull();
        assertThat(b2.lifekeeper()).isNull();
        assertThat(b2.factsAt()).isNull();
        assertThat(b2.readinessFailures()).isZero();
    }

    @Test
    void clusterIsExactAndQSearchesNodeClusterAndHostIgnoringCase() {
        Q byCluster = q();
        byCluster.cluster = Optional.of("beta");
        assertThat(names(byCluster)).containsExactly("beta/b1", "beta/b2");
        Q partCluster = q();
        partCluster.cluster = Optional.of("bet");
        assertThat(names(partCluster)).isEmpty();

        Q search = q();
        search.q = Optional.of("ALPHA");
        assertThat(names(search)).containsExactly("alpha/a1", "alpha/a2");
        search.q = Optional.of(" .Example ");
        assertThat(names(search)).as("host, case-insensitive, stripped").containsExactly("alpha/a1");
        search.q = Optional.of("B2");
        assertThat(names(search)).as("node name").containsExactly("beta/b2");
        search.q = Optional.of("%");
        assertThat(names(search)).as("a LIKE wildcard is itself").isEmpty();
        search.q = Optional.of("_1");
        assertThat(names(search)).isEmpty();
    }

    @Test
    void factsFilterExactlyAndUnknownOrNoneSelectWhatHasNoValue() {
        Q version = q();
        version.agentVersion = Optional.of("0.1.0");
        assertThat(names(version)).containsExactly("alpha/a2");
        version.agentVersion = Optional.of("0.1");
        assertThat(names(version)).isEmpty();

        Q os = q();
        os.os = Optional.of("Windows Server 2022 10.0.20348");
        assertThat(names(os)).containsExactly("alpha/a1");
        os.os = Optional.of("windows server 2022 10.0.20348");
        assertThat(names(os)).as("exact, case-sensitive").isEmpty();
        os.os = Optional.of(InventoryQuery.UNKNOWN);
        assertThat(names(os)).containsExactly("beta/b2");

        Q jvm = q();
        jvm.jvm = Optional.of("17.0.13");
        assertThat(names(jvm)).containsExactly("alpha/a1", "alpha/a2");

        Q lk = q();
        lk.lifekeeper = Optional.of("9.8.0");
        assertThat(names(lk)).containsExactly("alpha/a1");
        lk.lifekeeper = Optional.of(InventoryQuery.NONE);
        assertThat(names(lk)).containsExactly("beta/b1");
        lk.lifekeeper = Optional.of(InventoryQuery.UNKNOWN);
        assertThat(names(lk)).containsExactly("alpha/a2", "beta/b2");

        Q all = q();
        all.jvm = Optional.of("17.0.13");
        all.agentVersion = Optional.of("1.0.0");
        assertThat(names(all)).as("filters AND").containsExactly("alpha/a1");
    }

    @Test
    void labelsAreAndOfExactPairsOfTheNodeItself() {
        Q labels = q();
        labels.labels.put("site", "osaka");
        assertThat(names(labels)).containsExactly("alpha/a1", "alpha/a2");
        labels.labels.put("env", "prod");
        assertThat(names(labels)).containsExactly("alpha/a1");
        Q prod = q();
        prod.labels.put("env", "prod");
        assertThat(names(prod)).containsExactly("alpha/a1", "beta/b1");
        Q partial = q();
        partial.labels.put("site", "osak");
        assertThat(names(partial)).isEmpty();
        Q wildcard = q();
        wildcard.labels.put("site", "%");
        assertThat(names(wildcard)).isEmpty();
    }

    @Test
    void aLabelValueWithQuotesAndWildcardsIsFoundAsItself() {
        node("gamma", "g1", "1.0.0", Map.of("note", "say \"hi\" 100%_\\"), T0, null, 0);
        Q odd = q();
        odd.labels.put("note", "say \"hi\" 100%_\\");
        assertThat(names(odd)).containsExactly("gamma/g1");
        odd.labels.put("note", "say \"hi\" 100%");
        assertThat(names(odd)).isEmpty();
    }

    @Test
    void readinessSelectsNodesWhoseLastPreflightFailedOrNot() {
        Q failing = q();
        failing.readiness = Optional.of(true);
        assertThat(names(failing)).containsExactly("alpha/a2");
        failing.readiness = Optional.of(false);
        assertThat(names(failing)).containsExactly("alpha/a1", "beta/b1", "beta/b2");
    }

    @Test
    void everySortBothWaysUnknownLastTiesByClusterThenNode() {
        Q s = q();
        s.sort = Sort.JVM;
        assertThat(names(s)).containsExactly("alpha/a1", "alpha/a2", "beta/b1", "beta/b2");
        s.descending = true;
        assertThat(names(s)).containsExactly("beta/b1", "alpha/a1", "alpha/a2", "beta/b2");

        s = q();
        s.sort = Sort.NODE;
        s.descending = true;
        assertThat(names(s)).containsExactly("beta/b2", "beta/b1", "alpha/a2", "alpha/a1");

        s = q();
        s.sort = Sort.CLUSTER;
        s.descending = true;
        assertThat(names(s)).containsExactly("beta/b1", "beta/b2", "alpha/a1", "alpha/a2");

        s = q();
        s.sort = Sort.AGENT_VERSION;
        assertThat(names(s)).containsExactly("alpha/a2", "alpha/a1", "beta/b1", "beta/b2");

        s = q();
        s.sort = Sort.OS;
        assertThat(names(s)).containsExactly("beta/b1", "alpha/a2", "alpha/a1", "beta/b2");
        s.descending = true;
        assertThat(names(s)).containsExactly("alpha/a1", "alpha/a2", "beta/b1", "beta/b2");

        s = q();
        s.sort = Sort.LIFEKEEPER;
        // "(none)" sorts as the text it is, before digits; not known last.
        assertThat(names(s)).containsExactly("beta/b1", "alpha/a1", "alpha/a2", "beta/b2");

        s = q();
        s.sort = Sort.RECEIVED_AT;
        s.descending = true;
        assertThat(names(s)).containsExactly("beta/b1", "alpha/a2", "alpha/a1", "beta/b2");
    }

    @Test
    void pagesNeverOverlapAndCountEveryMatch() {
        Q first = q();
        first.sort = Sort.JVM;
        first.limit = 3;
        Q second = q();
        second.sort = Sort.JVM;
        second.limit = 3;
        second.offset = 3;
        assertThat(names(first)).containsExactly("alpha/a1", "alpha/a2", "beta/b1");
        assertThat(names(second)).containsExactly("beta/b2");
        InventoryPage page = store.inventory(second.build(), NOW);
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.offset()).isEqualTo(3);
        assertThat(page.limit()).isEqualTo(3);
        second.offset = 10;
        assertThat(store.inventory(second.build(), NOW).nodes()).isEmpty();
        assertThat(store.inventory(second.build(), NOW).total()).isEqualTo(4);

        Q filtered = q();
        filtered.labels.put("site", "osaka");
        filtered.limit = 1;
        assertThat(store.inventory(filtered.build(), NOW).total()).isEqualTo(2);
    }

    @Test
    void aPageOutOfBoundsIsRefused() {
        Q zero = q();
        zero.limit = 0;
        assertThatThrownBy(() -> store.inventory(zero.build(), NOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        Q big = q();
        big.limit = 1001;
        assertThatThrownBy(() -> store.inventory(big.build(), NOW)).isInstanceOf(IllegalArgumentException.class);
        Q negative = q();
        negative.offset = -1;
        assertThatThrownBy(() -> store.inventory(negative.build(), NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theExportHandsOverEveryMatchInOrderWhateverTheOffsetAndLimit() {
        Q all = q();
        all.sort = Sort.RECEIVED_AT;
        all.descending = true;
        all.offset = 2;
        all.limit = 1;
        assertThat(exported(all)).containsExactly("beta/b1", "alpha/a2", "alpha/a1", "beta/b2");
        Q osaka = q();
        osaka.labels.put("site", "osaka");
        assertThat(exported(osaka)).containsExactly("alpha/a1", "alpha/a2");

        List<InventoryNode> rows = new ArrayList<>();
        store.exportInventory(q().build(), NOW, rows::add);
        assertThat(rows).isEqualTo(store.inventory(q().build(), NOW).nodes());
    }

    @Test
    void theExportOfManyNodesIsReadInFetches() {
        for (int i = 0; i < StoreInventory.FETCH_SIZE * 2 + 7; i++) {
            node(String.format("many%04d", i / 2), "n" + (i % 2), "2.0.0", Map.of(), T0, null, 0);
        }
        Q many = q();
        many.agentVersion = Optional.of("2.0.0");
        List<String> names = exported(many);
        assertThat(names).hasSize(StoreInventory.FETCH_SIZE * 2 + 7).startsWith("many0000/n0", "many0000/n1")
                .endsWith(String.format("many%04d/n0", (StoreInventory.FETCH_SIZE * 2 + 6) / 2));
        assertThat(store.inventory(many.build(), NOW).total()).isEqualTo(StoreInventory.FETCH_SIZE * 2 + 7);
    }

    @Test
    void countsArePerValueMostFirstWithUnknownAndNoneAsTheFiltersTakeThem() {
        InventoryCounts counts = store.inventoryCounts();
        assertThat(counts.total()).isEqualTo(4);
        assertThat(counts.agentVersion()).containsExactly(entry("1.0.0", 3L), entry("0.1.0", 1L));
        assertThat(counts.os()).containsExactly(entry(InventoryQuery.UNKNOWN, 1L),
                entry("Red Hat Enterprise Linux 9.4", 1L), entry("Windows Server 2019 10.0.17763", 1L),
                entry("Windows Server 2022 10.0.20348", 1L));
        assertThat(counts.jvm()).containsExactly(entry("17.0.13", 2L), entry(InventoryQuery.UNKNOWN, 1L),
                entry("21.0.5", 1L));
        assertThat(counts.lifekeeper()).containsExactly(entry(InventoryQuery.UNKNOWN, 2L),
                entry(InventoryQuery.NONE, 1L), entry("9.8.0", 1L));
        // Each count is what its filter selects.
        counts.lifekeeper().forEach((value, n) -> {
            Q lk = q();
            lk.lifekeeper = Optional.of(value);
            assertThat(store.inventory(lk.build(), NOW).total()).as(value).isEqualTo(n);
        });
        counts.os().forEach((value, n) -> {
            Q os = q();
            os.os = Optional.of(value);
            assertThat(store.inventory(os.build(), NOW).total()).as(value).isEqualTo(n);
        });
    }

    @Test
    void whatThisStoreWritesAfterAReadShowsAtTheNextRead() {
        assertThat(names(q())).containsExactly("alpha/a1", "alpha/a2", "beta/b1", "beta/b2");
        assertThat(store.inventoryCounts().total()).isEqualTo(4);
        // New facts, a new node, other labels, a forgotten node: each shows at once, without waiting for a refresh.
        node("beta", "b2", "1.0.0", Map.of(), T0.plusSeconds(2),
                facts("5", "Red Hat Enterprise Linux", "8.10", "21.0.5", "b2.host", false, null), 0);
        Q rhel8 = q();
        rhel8.os = Optional.of("Red Hat Enterprise Linux 8.10");
        assertThat(names(rhel8)).containsExactly("beta/b2");
        node("gamma", "g1", "3.0.0", Map.of(), T0.plusSeconds(2), null, 0);
        assertThat(names(q())).containsExactly("alpha/a1", "alpha/a2", "beta/b1", "beta/b2", "gamma/g1");
        assertThat(store.inventoryCounts().agentVersion()).containsEntry("3.0.0", 1L);
        node("gamma", "g1", "3.0.0", Map.of("site", "nagoya"), T0.plusSeconds(3), null, 0);
        Q nagoya = q();
        nagoya.labels.put("site", "nagoya");
        assertThat(names(nagoya)).containsExactly("gamma/g1");
        assertThat(store.forgetNode("alpha", "a2", "alice", NOW)).isTrue();
        assertThat(names(q())).containsExactly("alpha/a1", "beta/b1", "beta/b2", "gamma/g1");
        assertThat(store.inventoryCounts().total()).isEqualTo(4);
    }

    @Test
    void anEmptyFleetCountsNothing() {
        TestDatabases.clean(dataSource(), dialect());
        InventoryCounts counts = store.inventoryCounts();
        assertThat(counts.total()).isZero();
        assertThat(counts.agentVersion()).isEmpty();
        assertThat(store.inventory(q().build(), NOW).nodes()).isEmpty();
    }

    protected abstract JdbcFleetStore.Dialect dialect();
}
