package io.hulftark.agent.api;

import io.hulftark.wire.NodeFacts.PreflightRow;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** POST /api/v1/validate: one resource's preflight, as it now goes out in the node's facts. */
@Schema(description = "One resource's preflight (hulft-ark validate), as the node's facts now hold it",
        requiredProperties = {"tag", "validatedAt", "preflight"})
public record Validation(
        @Schema(description = "The resource's LifeKeeper tag") String tag,
        @Schema(description = "When its preflight ran") Instant validatedAt,
        @Schema(description = "Its rows, in the order validate prints them") List<PreflightRow> preflight) {
}
