package io.hulftark.cli;

import io.hulftark.app.ConfigLoader;
import io.hulftark.app.KitConfig;
import io.hulftark.app.KitContext;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;

@TopCommand
@Command(name = "hulft-ark", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Keeps HULFT highly available under LifeKeeper: the recovery kit and its tools.",
        description = "Exit codes of the actions: 0 success, 1 failure (as LifeKeeper expects), 2 usage error.",
        subcommands = {LifeKeeperCommand.class, ActionCommand.Restore.class, ActionCommand.Remove.class,
                ActionCommand.QuickCheck.class, ActionCommand.Recover.class, ValidateCommand.class,
                DemoCommand.class})
public class HulftArkCommand implements Runnable {

    @Spec
    CommandSpec spec;

    private Map<String, String> env = System.getenv();

    HulftArkCommand withEnv(Map<String, String> env) {
        this.env = env;
        return this;
    }

    Map<String, String> env() {
        return env;
    }

    /** Reads the configuration; only the commands that act need it, so --help never fails on it. */
    KitContext context(PrintWriter err) {
        KitConfig config = ConfigLoader.load(env);
        return KitContext.create(config, env, err);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
