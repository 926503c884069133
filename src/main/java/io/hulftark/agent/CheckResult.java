package io.hulftark.agent;

import io.hulftark.wire.Status;

import io.hulftark.app.RoleOpenApiFilter;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * One check of a resource: what was seen, not yet the status (the threshold decides that).
 *
 * @param serviceState the platform's word for the service (RUNNING, STOPPED, ...), or null if unknown
 * @param role         {@code active} when expected to run here, {@code standby} when not, else {@code unknown}
 */
@Schema(description = "One check of a resource: what was seen (the status follows after a threshold)",
        requiredProperties = {"tag", "service", "at", "durationMicros", "observed", "reason", "role", "ports"},
        properties = {
        @SchemaProperty(name = "tag", description = "The resource's tag"),
        @SchemaProperty(name = "service", description = "Its service's name"),
        @SchemaProperty(name = "at", description = "When the check started"),
        @SchemaProperty(name = "durationMicros", description = "How long it took", minimum = "0"),
        @SchemaProperty(name = "observed", description = "What it saw"),
        @SchemaProperty(name = "reason", description = "Why, one line"),
        @SchemaProperty(name = "serviceState", description = "The platform's word for the service (RUNNING, STOPPED, "
                + "...); null when unknown", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true")),
        @SchemaProperty(name = "role", description = "active (expected to run here), standby, or unknown",
                enumeration = {"active", "standby", "unknown"}),
        @SchemaProperty(name = "ports", description = "Each port probed (none when the service is not running)")})
public record CheckResult(String tag, String service, Instant at, long durationMicros, Status observed, String reason,
                          String serviceState, String role, List<PortCheck> ports) {
}
