package io.hulftark.fleet.state;

import io.hulftark.wire.NodeFacts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds what differs between a cluster's nodes (issue 13): per resource tag, every setting the spec demands equal on
 * every node (section 7: $debug, $exe_path, $conf_file, LKHULFT_*; the service name; hulenv.cnf's ports, myhostname
 * and digest; the probe; the kit's hulftark.* settings), and per node its OS version and LifeKeeper version (spec
 * section 2). Plain Java, no clock.
 *
 * <p>The rules:
 * <ul>
 *   <li>A tag is compared among the nodes that have it, once at least two do. A node without the tag is not drift
 *       of its keys: the state already says "n2 does not report TAG".</li>
 *   <li>Among those nodes, a key one of them lacks shows {@value #NOT_SET} there; an unreadable value ("(unreadable:
 *       why)") is compared like any other, since a conf that one node cannot read is a difference worth showing.</li>
 *   <li>{@code startType} is never compared: the standby's preflight judges it (a standby must not start by
 *       itself, the active one may), so its values differ on a healthy cluster.</li>
 *   <li>Node facts: {@value #OS} ("os osVersion") and {@value #LIFEKEEPER_VERSION}, among the nodes that state them,
 *       once at least two do.</li>
 *   <li>A node that cannot read hulenv.cnf because it is on the shared disk, in service elsewhere
 *       ({@link NodeFacts#ON_SHARED_DISK}), is left out of those keys' comparison.</li>
 *   <li>A key the site declared per node never drifts: exact names, or a prefix ending in {@code *} ("hulenv.*").</li>
 * </ul>
 */
public final class Drift {

    /** The value shown for a node that has the tag but not the setting. */
    public static final String NOT_SET = "(not set)";
    /** The node fact "os osVersion". */
    public static final String OS = "os";
    /** The node fact LifeKeeper's version. */
    public static final String LIFEKEEPER_VERSION = "lifekeeper.version";
    /** Never compared: differs by design between the active node and a standby (readiness judges it). */
    static final String START_TYPE = "startType";

    private static final Comparator<DriftItem> ORDER = Comparator
            .comparing(DriftItem::tag, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(DriftItem::key);

    private Drift() {
    }

    /**
     * @param factsByNode  the latest facts of each known node that sent any, by node name
     * @param perNodeKeys  keys a site declared may differ per node (hulftark.fleet.readiness.per-node-keys): never drift
     * @return every differing setting, sorted by tag then key (node facts, without a tag, first)
     */
    public static List<DriftItem> find(Map<String, NodeFacts> factsByNode, Set<String> perNodeKeys) {
        PerNode perNode = new PerNode(perNodeKeys == null ? Set.of() : perNodeKeys);
        List<DriftItem> items = new ArrayList<>();
        nodeFact(factsByNode, OS, f -> join(f.os(), f.osVersion()), perNode).ifPresent(items::add);
        nodeFact(factsByNode, LIFEKEEPER_VERSION, NodeFacts::lifekeeperVersion, perNode).ifPresent(items::add);

        // tag → node → settings; a node reporting a tag twice keeps the first (the wire allows it, it is a bug there).
        Map<String, Map<String, Map<String, String>>> byTag = new TreeMap<>();
        new TreeMap<>(factsByNode).forEach((node, facts) -> {
            if (facts != null) {
                facts.resources().forEach(r -> byTag.computeIfAbsent(r.tag(), t -> new TreeMap<>())
                        .putIfAbsent(node, r.settings()));
            }
        });
        byTag.forEach((tag, nodes) -> {
            if (nodes.size() < 2) {
                return;
            }
            Set<String> keys = new TreeSet<>();
            nodes.values().forEach(s -> keys.addAll(s.keySet()));
            for (String key : keys) {
                if (key.equals(START_TYPE) || perNode.declares(key)) {
                    continue;
                }
                Map<String, String> values = new LinkedHashMap<>();
                nodes.forEach((node, settings) -> {
                    String value = settings.getOrDefault(key, NOT_SET);
                    // One file on the shared disk, read only where it is in service: nothing to compare there.
                    if (!NodeFacts.ON_SHARED_DISK.equals(value)) {
                        values.put(node, value);
                    }
                });
                if (values.size() > 1 && new HashSet<>(values.values()).size() > 1) {
                    items.add(new DriftItem(tag, key, values));
                }
            }
        });
        items.sort(ORDER);
        return List.copyOf(items);
    }

    /**
     * The items as the cluster's problems or warnings show them: {@link DriftItem#line()}, prefixed with the tag
     * ("hulft2 LKHULFT_TIMEOUT: 300 on n1, 60 on n2") when the cluster has more than one tag, so that a reader knows
     * which resource; a node fact never has a prefix.
     *
     * @param clusterTags the cluster's tags (as its nodes report them, see {@link #tags}); the items' own tags count
     *                    too
     */
    public static List<String> lines(List<DriftItem> items, Collection<String> clusterTags) {
        Set<String> tags = new HashSet<>(clusterTags);
        items.stream().map(DriftItem::tag).filter(t -> t != null).forEach(tags::add);
        boolean prefix = tags.size() > 1;
        return items.stream().map(i -> prefix && i.tag() != null ? i.tag() + " " + i.line() : i.line()).toList();
    }

    /** Every tag the reports name, for {@link #lines}. */
    public static Set<String> tags(List<NodeReport> latest) {
        Set<String> tags = new TreeSet<>();
        latest.forEach(r -> r.resources().forEach(res -> tags.add(res.tag())));
        return tags;
    }

    private static Optional<DriftItem> nodeFact(Map<String, NodeFacts> factsByNode, String key,
                                                         Function<NodeFacts, String> value, PerNode perNode) {
        if (perNode.declares(key)) {
            return Optional.empty();
        }
        Map<String, String> values = new TreeMap<>();
        factsByNode.forEach((node, facts) -> {
            String v = facts == null ? null : value.apply(facts);
            if (v != null && !v.isBlank()) {
                values.put(node, v);
            }
        });
        return values.size() >= 2 && new HashSet<>(values.values()).size() > 1
                ? Optional.of(new DriftItem(null, key, values)) : Optional.empty();
    }

    /** "Windows Server 2022 10.0.20348", or the one that is stated, or null when neither is. */
    private static String join(String os, String version) {
        String joined = ((os == null ? "" : os) + " " + (version == null ? "" : version)).trim();
        return joined.isEmpty() ? null : joined;
    }

    /** The declared per-node keys: exact names, and prefixes written with a trailing "*". */
    private record PerNode(Set<String> exact, List<String> prefixes) {
        PerNode(Set<String> declared) {
            this(declared.stream().filter(k -> !k.endsWith("*")).collect(Collectors.toSet()),
                    declared.stream().filter(k -> k.endsWith("*")).map(k -> k.substring(0, k.length() - 1)).toList());
        }

        boolean declares(String key) {
            return exact.contains(key) || prefixes.stream().anyMatch(key::startsWith);
        }
    }
}
