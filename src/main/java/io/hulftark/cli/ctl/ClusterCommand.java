package io.hulftark.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.cli.CtlCommand;
import io.hulftark.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code ctl cluster NAME}: one cluster in full. */
@Command(name = "cluster", header = "Show one cluster: state, reason, nodes, serving, acknowledgements, maintenance, labels.",
        description = "GET /api/v1/fleet/clusters/{name}. With --json: the API's document, with its latest events.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {CtlCommand.EXIT_0, CtlCommand.EXIT_2, CtlCommand.EXIT_3, CtlCommand.EXIT_5, CtlCommand.EXIT_6})
public class ClusterCommand extends CtlCall {

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster's name.")
    String name;

    @Option(names = "--history", paramLabel = "N", defaultValue = "10",
            description = "How many of its latest events to show (0 to 1000; default: ${DEFAULT-VALUE}).")
    int history;

    @Override
    int run(FleetClient client) {
        FleetClient.Answer a = client.get("/api/v1/fleet/clusters/" + FleetClient.segment(name)
                + FleetClient.query(List.of(FleetClient.param("history", Integer.toString(history)))));
        if (options.json) {
            out.println(a.body());
            return ExitCodes.OK;
        }
        Render.cluster(a.json(), out);
        JsonNode history = a.json().path("history");
        if (!history.isEmpty()) {
            List<JsonNode> oldestFirst = new ArrayList<>();
            history.forEach(e -> oldestFirst.add(0, e));
            out.println();
            Render.events(FleetClient.JSON.valueToTree(oldestFirst), out);
        }
        return ExitCodes.OK;
    }
}
