package io.hulftark.cli;

import io.hulftark.app.KitContext;
import io.hulftark.app.KitRunner;
import io.hulftark.kit.Action;
import io.hulftark.lifekeeper.ScriptAction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "lifekeeper", header = "What the LifeKeeper launcher calls: the action comes from the script's path.",
        description = "LifeKeeper places the one registered script under a folder named !restore, !remove, "
                + "!quickCheck, !recover (or !deepCheck, which is refused with 51050015 and exit 1).")
public class LifeKeeperCommand implements Callable<Integer> {

    @ParentCommand
    HulftArkCommand top;

    @Spec
    CommandSpec spec;

    @Option(names = "--script", required = true, paramLabel = "PATH", description = "The launcher's own full path.")
    String script;

    @Mixin
    TagOptions tag;

    @Override
    public Integer call() {
        Action action = ScriptAction.fromPath(script).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "cannot tell the action from --script " + script + ": expected a folder named "
                        + ScriptAction.expected()));
        KitContext context = top.context(spec.commandLine().getErr());
        return KitRunner.run(context, action, tag.tag);
    }
}
