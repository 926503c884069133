package io.hulftark.agent;

import io.hulftark.app.RoleOpenApiFilter;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
/** One port's result in a check: latency in microseconds; code as the probe gave it ("0" when it answered). */
@Schema(description = "One port's result in a check", requiredProperties = {"key", "port", "ok", "latencyMicros"},
        properties = {
        @SchemaProperty(name = "key", description = "Its key in hulenv.cnf"),
        @SchemaProperty(name = "port", description = "The port number", minimum = "1", maximum = "65535"),
        @SchemaProperty(name = "ok", description = "Whether it answered"),
        @SchemaProperty(name = "code", description = "The probe's code (\"0\" when it answered); null when none", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true")),
        @SchemaProperty(name = "latencyMicros", description = "How long the probe took", minimum = "0"),
        @SchemaProperty(name = "detail", description = "Why not, when it did not answer; else null", extensions = @Extension(name = RoleOpenApiFilter.NULLABLE, value = "true"))})
public record PortCheck(String key, int port, boolean ok, String code, long latencyMicros, String detail) {
}
