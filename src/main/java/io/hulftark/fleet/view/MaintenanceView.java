package io.hulftark.fleet.view;

import java.time.Instant;

/** A maintenance window, [from, until): while it covers now, the cluster is MAINTENANCE. */
public record MaintenanceView(long id, String cluster, Instant from, Instant until, String reason, String by,
                              Instant at) {
}
