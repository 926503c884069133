package io.hulftark.cli.ctl;

import io.hulftark.cli.CtlCommand;
import io.hulftark.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code ctl batch-status ID}: one batch with each of its clusters. */
@Command(name = "batch-status", header = "Show one batch: its state, counts and each cluster.",
        description = "GET /api/v1/fleet/batches/{id}. Exits 0 whatever the batch's state (see 'ctl batch --wait').",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {CtlCommand.EXIT_0, CtlCommand.EXIT_2, CtlCommand.EXIT_3, CtlCommand.EXIT_5, CtlCommand.EXIT_6})
public class BatchStatusCommand extends CtlCall {

    @Parameters(index = "0", paramLabel = "ID", description = "The batch's id, as 'ctl batch' printed it.")
    String id;

    @Override
    int run(FleetClient client) {
        print(client.get("/api/v1/fleet/batches/" + FleetClient.segment(id)), out, options.json);
        return ExitCodes.OK;
    }

    static void print(FleetClient.Answer a, PrintWriter out, boolean json) {
        if (json) {
            out.println(a.body());
        } else {
            Render.batch(a.json(), out);
        }
    }
}
