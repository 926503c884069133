package io.hulftark.cli.ctl;

import io.hulftark.cli.CtlCommand;
import io.hulftark.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ctl action ID}: one fleet action with its steps. */
@Command(name = "action", header = "Show one fleet action: who asked what, why, its state and each step.",
        description = "GET /api/v1/fleet/actions/{id}. Exits 0 whatever the action's state (see 'ctl act --wait').",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {CtlCommand.EXIT_0, CtlCommand.EXIT_2, CtlCommand.EXIT_3, CtlCommand.EXIT_5, CtlCommand.EXIT_6})
public class ActionStatusCommand extends CtlCall {

    @Parameters(index = "0", paramLabel = "ID", description = "The action's id, as 'ctl act' printed it.")
    String id;

    @Override
    int run(FleetClient client) {
        FleetClient.Answer a = client.get("/api/v1/fleet/actions/" + FleetClient.segment(id));
        if (options.json) {
            out.println(a.body());
        } else {
            Render.action(a.json(), out);
        }
        return ExitCodes.OK;
    }
}
