package io.hulftark.fleet.view;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** One page of the inventory: the nodes that match, in the asked order, and how many match in all. */
@Schema(description = "One page of the inventory", requiredProperties = {"total", "offset", "limit", "nodes"})
public record InventoryPage(@Schema(description = "Nodes that match, in all", minimum = "0") long total,
                            @Schema(description = "Where this page starts", minimum = "0") int offset,
                            @Schema(description = "The page's size as asked", minimum = "1") int limit,
                            @Schema(description = "The page's nodes") List<InventoryNode> nodes) {
    public InventoryPage {
        nodes = List.copyOf(nodes);
    }
}
