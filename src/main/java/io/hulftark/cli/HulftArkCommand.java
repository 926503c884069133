package io.hulftark.cli;

import io.hulftark.app.ConfigLoader;
import io.hulftark.app.KitConfig;
import io.hulftark.app.KitContext;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

@TopCommand
@Command(name = "hulft-ark", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        header = "Keeps HULFT highly available under LifeKeeper: the recovery kit and its tools.",
        description = "Exit codes of the actions: 0 success, 1 failure (as LifeKeeper expects), 2 usage error.")
public class HulftArkCommand implements Runnable {

    /**
     * The subcommands, registered by {@link Cli}: only the one named on the command line when there
     * is one, because building picocli's model of every command costs a one-shot run real time.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(LifeKeeperCommand.class, ActionCommand.Restore.class,
            ActionCommand.Remove.class, ActionCommand.QuickCheck.class, ActionCommand.Recover.class,
            ValidateCommand.class, DemoCommand.class, SimCommand.class, AgentCommand.class, FleetCommand.class,
            TokenCommand.class, OcfCommand.class, CtlCommand.class);

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
