package io.hulftark.fleet.state;

import java.util.Objects;

/**
 * A failing row of a node's last preflight for one resource (issue 13): kept with the node's row, so that deriving
 * the state, which knows which node serves the tag, can say "failover to node-b would fail: ...".
 *
 * @param check  the preflight row's check, e.g. conf_file
 * @param detail its one-line detail
 */
public record ReadinessFailure(String tag, String check, String detail) {
    public ReadinessFailure {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(check, "check");
        detail = detail == null ? "" : detail;
    }
}
