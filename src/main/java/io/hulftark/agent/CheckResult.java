package io.hulftark.agent;

import java.time.Instant;
import java.util.List;

/**
 * One check of a resource: what was seen, not yet the status (the threshold decides that).
 *
 * @param serviceState the platform's word for the service (RUNNING, STOPPED, ...), or null if unknown
 * @param role         {@code active} when expected to run here, {@code standby} when not, else {@code unknown}
 */
public record CheckResult(String tag, String service, Instant at, long durationMicros, Status observed, String reason,
                          String serviceState, String role, List<PortCheck> ports) {
}
