package io.hulftark.cli.ctl;

import io.hulftark.cli.CtlCommand;
import io.hulftark.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ctl batch-pause|batch-resume|batch-cancel ID}: an operator steers a running batch. */
public abstract class BatchControlCommand extends CtlCall {

    @Parameters(index = "0", paramLabel = "ID", description = "The batch's id.")
    String id;

    abstract String verb();

    @Override
    int run(FleetClient client) {
        FleetClient.Answer a = client.post("/api/v1/fleet/batches/" + FleetClient.segment(id) + "/" + verb());
        if (a.json() == null) {
            // An empty answer: show the batch as it is now.
            a = client.get("/api/v1/fleet/batches/" + FleetClient.segment(id));
        }
        BatchStatusCommand.print(a, out, options.json);
        return ExitCodes.OK;
    }

    @Command(name = "batch-pause", header = "Pause a batch: clusters under way finish, no new one starts.",
            description = "POST /api/v1/fleet/batches/{id}/pause (an operator's token).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {CtlCommand.EXIT_0, CtlCommand.EXIT_2, CtlCommand.EXIT_3, CtlCommand.EXIT_4,
                    CtlCommand.EXIT_5, CtlCommand.EXIT_6})
    public static class Pause extends BatchControlCommand {
        @Override
        String verb() {
            return "pause";
        }
    }

    @Command(name = "batch-resume", header = "Resume a paused batch.",
            description = "POST /api/v1/fleet/batches/{id}/resume (an operator's token).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {CtlCommand.EXIT_0, CtlCommand.EXIT_2, CtlCommand.EXIT_3, CtlCommand.EXIT_4,
                    CtlCommand.EXIT_5, CtlCommand.EXIT_6})
    public static class Resume extends BatchControlCommand {
        @Override
        String verb() {
            return "resume";
        }
    }

    @Command(name = "batch-cancel", header = "Cancel a batch: clusters not yet started are not started.",
            description = "POST /api/v1/fleet/batches/{id}/cancel (an operator's token).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {CtlCommand.EXIT_0, CtlCommand.EXIT_2, CtlCommand.EXIT_3, CtlCommand.EXIT_4,
                    CtlCommand.EXIT_5, CtlCommand.EXIT_6})
    public static class Cancel extends BatchControlCommand {
        @Override
        String verb() {
            return "cancel";
        }
    }
}
