package io.hulftark.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hulftark.cli.CtlCommand;
import io.hulftark.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code ctl clusters}: the cluster table, every page of it. */
@Command(name = "clusters", header = "List clusters: state, since when, serving node, labels (every page).",
        description = "GET /api/v1/fleet/clusters. With --json: one JSON array of the API's cluster rows.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {CtlCommand.EXIT_0, CtlCommand.EXIT_2, CtlCommand.EXIT_5, CtlCommand.EXIT_6})
public class ClustersCommand extends CtlCall {

    static final int PAGE = 500;
    /** Enough for any fleet: stops a server that always answers a full page from keeping us forever. */
    static final int MAX_PAGES = 1000;

    @Option(names = "--state", paramLabel = "STATE",
            description = "Only clusters in this state: OK, DEGRADED, DOWN, UNKNOWN, ... or MAINTENANCE.")
    String state;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "Only clusters with a node labelled so (repeatable: every one must match).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--search", paramLabel = "TEXT",
            description = "Only clusters whose name, a node's name or a label value holds TEXT.")
    String search;

    @Option(names = "--sort", paramLabel = "ORDER", defaultValue = "problem",
            description = "problem (problem clusters first), name, or since (latest change first); default: ${DEFAULT-VALUE}.")
    String sort;

    @Override
    int run(FleetClient client) {
        String order = sort.toLowerCase(Locale.ROOT);
        if (!List.of("problem", "name", "since").contains(order)) {
            throw new ParameterException(spec.commandLine(), "--sort takes problem, name or since, not '"
                    + Render.cut(sort, 40) + "'");
        }
        List<Map.Entry<String, String>> wanted = Labels.parse(spec.commandLine(), labels);
        List<JsonNode> rows = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            List<Map.Entry<String, String>> q = new ArrayList<>();
            q.add(FleetClient.param("state", state));
            q.add(FleetClient.param("q", search));
            q.add(FleetClient.param("sort", order.toUpperCase(Locale.ROOT)));
            wanted.forEach(l -> q.add(FleetClient.param("label", l.getKey() + "=" + l.getValue())));
            q.add(FleetClient.param("page", Integer.toString(page)));
            q.add(FleetClient.param("size", Integer.toString(PAGE)));
            JsonNode body = client.get("/api/v1/fleet/clusters" + FleetClient.query(q)).json();
            JsonNode items = body == null ? null : body.path("items");
            if (items == null || !items.isArray()) {
                throw new CtlException(ExitCodes.UNREACHABLE, client.base() + " answered a cluster page without items: "
                        + "is it the fleet view?");
            }
            // The fleet view filters by label itself; this keeps the promise with one that does not know labels yet.
            items.forEach(r -> {
                if (Labels.matches(r.path("labels"), wanted)) {
                    rows.add(r);
                }
            });
            if (items.size() < PAGE || (long) (page + 1) * PAGE >= body.path("total").asLong()) {
                break;
            }
        }
        if (options.json) {
            ArrayNode all = FleetClient.JSON.createArrayNode();
            all.addAll(rows);
            out.println(all);
        } else {
            Render.clusters(rows, out);
        }
        return ExitCodes.OK;
    }
}
