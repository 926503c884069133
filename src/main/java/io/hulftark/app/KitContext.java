package io.hulftark.app;

import io.hulftark.kit.Kit;
import io.hulftark.kit.KitParameters;
import io.hulftark.kit.Message;
import io.hulftark.kit.Reporter;
import io.hulftark.kit.ServiceNames;
import io.hulftark.kit.Timing;
import io.hulftark.lifekeeper.InsList;
import io.hulftark.lifekeeper.LifeKeeperDefaults;
import io.hulftark.platform.FileActionLocks;
import io.hulftark.platform.Platform;
import io.hulftark.platform.ProcessCommandRunner;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Everything a kit action needs, wired from configuration and LifeKeeper's environment. */
public record KitContext(KitConfig config, Platform platform, Optional<Path> lkroot, Optional<Path> defaultsFile,
                         LifeKeeperDefaults defaults,
                         KitParameters parameters, ServiceNames serviceNames, Path stateDir, Reporter reporter) {

    public static KitContext create(KitConfig config, Map<String, String> env, PrintWriter err) {
        ProcessCommandRunner runner = new ProcessCommandRunner();
        Platform platform = Platforms.choose(config, runner);
        Optional<Path> lkroot = lkroot(config, env);
        Optional<Path> defaultsFile = LifeKeeperDefaults.locate(config.lifekeeper().defaultsFile(), lkroot,
                platform.windows());
        LifeKeeperDefaults defaults = defaultsFile.map(LifeKeeperDefaults::read).orElseGet(LifeKeeperDefaults::builtIn);
        KitParameters parameters = new KitParameters(config.exePath(), config.confFile(), config.debug(),
                defaults.retries(), defaults.timeout(), defaults.forceRemove(), config.probe(), config.probeHost(),
                config.commandTimeout(), config.probeTimeout(), platform.windows());
        Reporter reporter = new ConsoleReporter(err, platform.eventLog());
        defaults.warnings().forEach(w -> reporter.report(Message.BAD_PARAMETER, w));
        return new KitContext(config, platform, lkroot, defaultsFile, defaults, parameters,
                serviceNames(config, lkroot, platform, runner), stateDir(config, env), reporter);
    }

    public Kit kit() {
        return kit(reporter);
    }

    /** A kit whose messages go to {@code to} (the agent keeps them for the action's record). */
    public Kit kit(Reporter to) {
        return new Kit(parameters, serviceNames, platform.services(), platform.commands(),
                new FileActionLocks(stateDir), to, Timing.SYSTEM);
    }

    static Optional<Path> lkroot(KitConfig config, Map<String, String> env) {
        return config.lifekeeper().root().or(() -> Optional.ofNullable(env.get("LKROOT"))
                .filter(s -> !s.isBlank()).map(Path::of));
    }

    private static ServiceNames serviceNames(KitConfig config, Optional<Path> lkroot, Platform platform,
                                             ProcessCommandRunner runner) {
        Optional<Path> insList = config.lifekeeper().insList()
                .or(() -> lkroot.map(r -> InsList.defaultPath(r, platform.windows())));
        if (insList.isEmpty()) {
            return tag -> new ServiceNames.Lookup.Failed(
                    "LKROOT is not set and hulftark.lifekeeper.ins-list is not configured");
        }
        return new InsList(insList.get(), runner, config.commandTimeout());
    }

    /** %ProgramData%\hulft-ark on Windows, /var/lib/hulft-ark for root, else ~/.local/state/hulft-ark. */
    public static Path stateDir(KitConfig config, Map<String, String> env) {
        if (config.stateDir().isPresent()) {
            return config.stateDir().get();
        }
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return Path.of(env.getOrDefault("ProgramData", "C:\\ProgramData"), "hulft-ark");
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/hulft-ark");
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "hulft-ark");
    }
}
