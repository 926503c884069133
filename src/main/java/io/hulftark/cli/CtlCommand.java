package io.hulftark.cli;

import io.hulftark.cli.ctl.ActCommand;
import io.hulftark.cli.ctl.ActionStatusCommand;
import io.hulftark.cli.ctl.BatchCommand;
import io.hulftark.cli.ctl.BatchControlCommand;
import io.hulftark.cli.ctl.BatchStatusCommand;
import io.hulftark.cli.ctl.ClusterCommand;
import io.hulftark.cli.ctl.ClustersCommand;
import io.hulftark.cli.ctl.EventsCommand;
import io.hulftark.cli.ctl.InventoryCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.Map;

/**
 * {@code hulft-ark ctl}: the fleet view's REST API for scripts and people at a shell. One-shot commands: no Quarkus,
 * no port, only HTTP requests to the fleet view.
 */
@Command(name = "ctl", header = "Ask the fleet view from a shell or a script: clusters, actions, batches, events.",
        description = {"Talks to the fleet view's REST API at --url (default: $HULFTARK_URL, else http://127.0.0.1:8690) "
                + "with the token in $HULFTARK_TOKEN (or the variable --token-env names); the token is never an option.",
                "Tables for people by default, the API's JSON with --json. Errors: one line on stderr, "
                        + "'hulft-ark ctl: <why>'. See README.md, \"Command line for ops automation\"."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {CtlCommand.EXIT_0, CtlCommand.EXIT_1, CtlCommand.EXIT_2, CtlCommand.EXIT_3, CtlCommand.EXIT_4,
                CtlCommand.EXIT_5, CtlCommand.EXIT_6, CtlCommand.EXIT_7},
        subcommands = {ClustersCommand.class, ClusterCommand.class, ActCommand.class, ActionStatusCommand.class,
                BatchCommand.class, BatchStatusCommand.class, BatchControlCommand.Pause.class,
                BatchControlCommand.Resume.class, BatchControlCommand.Cancel.class, EventsCommand.class,
                InventoryCommand.class})
public class CtlCommand implements Runnable {

    public static final String EXIT_0 = "0:success: the request was accepted, or what --wait waited for SUCCEEDED";
    public static final String EXIT_1 = "1:the action or batch --wait waited for ended FAILED, CANCELLED or STOPPED";
    public static final String EXIT_2 = "2:usage error, or the fleet view found the request bad (400)";
    public static final String EXIT_3 = "3:not found: no such cluster, node, tag, action or batch (404)";
    public static final String EXIT_4 = "4:refused (409): an action runs on the cluster, it needs --force, or the "
            + "node's agent does not allow fleet actions";
    public static final String EXIT_5 = "5:not authorised (401/403): no token, an unknown one, or a role that may not";
    public static final String EXIT_6 = "6:the fleet view cannot be reached, did not answer in time, or answered 5xx";
    public static final String EXIT_7 = "7:--wait ran out of time (--timeout); the action or batch goes on";

    @ParentCommand
    HulftArkCommand top;

    @Spec
    CommandSpec spec;

    /** The environment the command line was started with (tests give their own). */
    public Map<String, String> env() {
        return top.env();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
