package io.hulftark.agent;

import io.hulftark.wire.Status;

import io.hulftark.app.RoleOpenApiFilter;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;

/** What the API shows of a resource: its status since when, and the last check's details. */
@Schema(description = "A resource: its status since when, and its last check", requiredProperties = {"tag", "service",
        "status", "since", "reason", "role"}, properties = {
        @SchemaProperty(name = "tag", description = "Its LifeKeeper tag"),
        @SchemaProperty(name = "service", description = "Its service's name"),
        @SchemaProperty(name = "status", description = "Its status"),
        @SchemaProperty(name = "since", description = "Since when it has this status"),
        @SchemaProperty(name = "reason", description = "Why this status, one line"),
        @SchemaProperty(name = "role", description = "active (expected to run here), standby, or unknown",
                enumeration = {"active", "standby", "unknown"}),
        @SchemaProperty(name = "lastCheck", description = "The last check; null before the first", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true"))})
public record ResourceView(String tag, String service, Status status, Instant since, String reason, String role,
                           CheckResult lastCheck) {
}
