package io.hulftark.cli;

import io.hulftark.app.ConfigLoader;
import io.hulftark.app.ConsoleReporter;
import io.hulftark.kit.Message;
import io.hulftark.kit.Reporter;
import io.hulftark.ocf.MetaData;
import io.hulftark.ocf.OcfAgent;
import io.hulftark.ocf.OcfCode;
import io.hulftark.ocf.OcfParameters;
import io.hulftark.ocf.OcfResult;
import io.hulftark.ocf.OcfSettings;
import io.hulftark.ocf.PlatformNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "ocf",
        header = "The Pacemaker resource agent (OCF): what ocf:hulft-ark:hulft-ark runs.",
        description = {
            "ACTION: start (the kit's restore), stop (its remove, never forced to success), monitor (the service's "
                + "state, then quickCheck: 0 running, 7 cleanly stopped, 1 failed), validate-all (exe_path, its "
                + "commands and conf_file on this node), reload (nothing to do: every action reads its parameters "
                + "afresh), meta-data (the OCF XML), methods, usage.",
            "Parameters come from the environment as Pacemaker sets them: OCF_RESKEY_service, OCF_RESKEY_exe_path, "
                + "OCF_RESKEY_conf_file (required); OCF_RESKEY_tag (default: OCF_RESOURCE_INSTANCE), retries, probe, "
                + "probe_host, command_timeout, probe_timeout, debug. OCF_RESKEY_CRM_meta_timeout (ms), the "
                + "operation's timeout, less 5 s bounds the action. 'meta-data' describes each; other settings "
                + "(platform, state-dir) come from the kit's configuration as for every command.",
            "Exit codes (OCF): 0 success or running, 1 failed, 2 no action given, 3 action not supported, "
                + "5 not installed on this node (exe_path, its commands, conf_file, the service, or this node's "
                + "configuration), 6 a parameter is missing or wrong, 7 cleanly stopped."})
public class OcfCommand implements Callable<Integer> {

    /** What the agent does, as 'methods' lists it. */
    static final List<String> ACTIONS = List.of("start", "stop", "monitor", "validate-all", "reload", "meta-data",
            "methods", "usage");

    @ParentCommand
    HulftArkCommand top;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", description = "The OCF action (see above).")
    String action;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (action == null) {
            err.println("hulft-ark ocf: no action given: expected one of " + String.join(", ", ACTIONS));
            return OcfCode.ERR_ARGS.exit();
        }
        switch (action) {
            case "meta-data" -> {
                // Before any configuration is read: meta-data must answer on any node, as any user.
                out.print(MetaData.xml());
                out.flush();
                return OcfCode.SUCCESS.exit();
            }
            case "methods" -> {
                ACTIONS.forEach(out::println);
                return OcfCode.SUCCESS.exit();
            }
            case "usage", "help" -> {
                spec.commandLine().usage(out);
                return OcfCode.SUCCESS.exit();
            }
            case "start", "stop", "monitor", "validate-all", "reload" -> {
                return act(err);
            }
            default -> {
                err.println("hulft-ark ocf: " + action + " is not supported by this agent (it supports "
                        + String.join(", ", ACTIONS) + ")");
                return OcfCode.ERR_UNIMPLEMENTED.exit();
            }
        }
    }

    private int act(PrintWriter err) {
        Map<String, String> env = top.env();
        PlatformNode node;
        try {
            node = PlatformNode.create(ConfigLoader.load(env), env);
        } catch (RuntimeException e) {
            // This node's own configuration, not the resource's parameters: another node may do better.
            err.println("hulft-ark ocf: " + Cli.oneLine(e));
            return OcfCode.ERR_INSTALLED.exit();
        }
        Reporter reporter = new ConsoleReporter(err, node.eventLog());
        OcfParameters.Read read = OcfParameters.read(env);
        if (read instanceof OcfParameters.Read.Bad bad) {
            reporter.report(Message.OCF_PARAMETER_BAD, bad.problem());
            return OcfCode.ERR_CONFIGURED.exit();
        }
        OcfSettings settings = ((OcfParameters.Read.Good) read).settings();
        OcfAgent agent = new OcfAgent(node);
        OcfResult result = switch (action) {
            case "start" -> agent.start(settings, reporter);
            case "stop" -> agent.stop(settings, reporter);
            case "monitor" -> agent.monitor(settings, reporter);
            case "validate-all" -> agent.validate(settings, reporter);
            default -> agent.reload(settings, reporter);
        };
        return result.code().exit();
    }
}
