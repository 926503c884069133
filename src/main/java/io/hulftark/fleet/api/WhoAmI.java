package io.hulftark.fleet.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
/** The caller as the fleet view knows it: the dashboard shows operator buttons to operators. */
@Schema(description = "The caller", requiredProperties = {"name", "role"})
public record WhoAmI(@Schema(description = "The credential's name (from the token file)") String name,
                     @Schema(description = "Its role", enumeration = {"VIEWER", "OPERATOR", "REPORTER"}) String role) {
}
