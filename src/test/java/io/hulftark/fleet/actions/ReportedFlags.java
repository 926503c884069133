package io.hulftark.fleet.actions;

import io.hulftark.fleet.view.ClusterDetail;
import io.hulftark.fleet.view.FleetNode;
import io.hulftark.wire.Report;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's fleetActions and actionsVia as its latest report said, laid over the store's view where the store does
 * not keep them yet (the ingest fills them in a change of its own; from then on this changes nothing).
 */
final class ReportedFlags {

    private final Map<String, Report> latest = new ConcurrentHashMap<>();

    void saw(Report r) {
        latest.put(r.cluster() + "/" + r.node(), r);
    }

    Optional<ClusterDetail> overlay(Optional<ClusterDetail> detail) {
        return detail.map(d -> new ClusterDetail(d.cluster(), d.problems(), d.nodes().stream().map(n -> {
            Report r = latest.get(d.cluster().name() + "/" + n.node());
            if (r == null || n.fleetActions() || n.actionsVia() != null) {
                return n;
            }
            return new FleetNode(n.node(), n.receivedAt(), n.sentAt(), n.skewMillis(), n.fresh(), n.agentVersion(),
                    n.agentStartedAt(), n.dropped(), n.resources(), r.labels(), Boolean.TRUE.equals(r.fleetActions()),
                    r.actionsVia());
        }).toList(), d.acknowledgements(), d.maintenance(), d.history()));
    }
}
