package io.hulftark.cli;

import io.hulftark.app.KitContext;
import io.hulftark.app.KitRunner;
import io.hulftark.kit.Action;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** restore, remove, quickCheck and recover by name: the same actions LifeKeeper's launcher runs. */
public abstract class ActionCommand implements Callable<Integer> {

    @ParentCommand
    HulftArkCommand top;

    @Spec
    CommandSpec spec;

    @Mixin
    TagOptions tag;

    abstract Action action();

    @Override
    public Integer call() {
        KitContext context = top.context(spec.commandLine().getErr());
        return KitRunner.run(context, action(), tag.tag);
    }

    @Command(name = "restore", header = "Bring HULFT into service (spec 5.1).", showDefaultValues = true)
    public static class Restore extends ActionCommand {
        @Override
        Action action() {
            return Action.RESTORE;
        }
    }

    @Command(name = "remove", header = "Take HULFT out of service (spec 5.2).", showDefaultValues = true)
    public static class Remove extends ActionCommand {
        @Override
        Action action() {
            return Action.REMOVE;
        }
    }

    @Command(name = "quickCheck", aliases = "quickchk", header = "Check that HULFT runs and its ports answer (spec 5.3).",
            showDefaultValues = true)
    public static class QuickCheck extends ActionCommand {
        @Override
        Action action() {
            return Action.QUICK_CHECK;
        }
    }

    @Command(name = "recover", header = "Remove, then restore HULFT (spec 5.4).", showDefaultValues = true)
    public static class Recover extends ActionCommand {
        @Override
        Action action() {
            return Action.RECOVER;
        }
    }
}
