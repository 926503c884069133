package io.hulftark.fleet.api;

import java.time.Instant;

/** A maintenance window [from, until), at most 30 days long; from defaults to now. */
public record MaintenanceRequest(Instant from, Instant until, String reason) {
}
