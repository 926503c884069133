package io.hulftark.fleet.state;

import io.hulftark.wire.NodeFacts;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds what differs between a cluster's nodes (issue 13): per resource tag, every setting the spec demands equal on
 * every node (section 7: $debug, $exe_path, $conf_file, LKHULFT_*; the service name; hulenv.cnf's ports, myhostname
 * and digest; the probe; the kit's hulftark.* settings), and per node its OS version and LifeKeeper version (spec
 * section 2). Plain Java, no clock.
 */
public final class Drift {

    private Drift() {
    }

    /**
     * @param factsByNode  the latest facts of each known node that sent any, by node name
     * @param perNodeKeys  keys a site declared may differ per node (hulftark.fleet.readiness.per-node-keys): never drift
     * @return every differing setting, sorted by tag then key
     */
    public static List<DriftItem> find(Map<String, NodeFacts> factsByNode, Set<String> perNodeKeys) {
        // TODO(issue 13, helper "state"): compare; placeholder returns none.
        return List.of();
    }
}
