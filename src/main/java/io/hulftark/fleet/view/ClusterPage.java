package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.List;

/** A page of the cluster table; {@code page} counts from 0. */
@Schema(description = "A page of the cluster table", requiredProperties = {"items", "page", "size", "total"})
public record ClusterPage(@Schema(description = "The clusters of this page, in the order asked for") List<ClusterRow> items,
                          @Schema(description = "This page, from 0", minimum = "0") int page,
                          @Schema(description = "Clusters per page", minimum = "1", maximum = "500") int size,
                          @Schema(description = "Clusters that match, on every page", minimum = "0") long total) {
}
