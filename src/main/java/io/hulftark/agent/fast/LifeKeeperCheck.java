package io.hulftark.agent.fast;

import io.hulftark.app.ConfigLoader;
import io.hulftark.app.KitConfig;
import io.hulftark.cli.Cli;
import io.hulftark.kit.Action;
import io.hulftark.lifekeeper.LifeKeeperDefaults;
import io.hulftark.lifekeeper.ScriptAction;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code hulft-ark lifekeeper --script PATH ARGS} for a script under {@code !quickCheck} only: the command line
 * the launcher's JVM would run, through the same {@link Cli} (parse, fresh configuration, kit, watchdog).
 */
public final class LifeKeeperCheck implements FastCheck {

    public static final String NAME = "lifekeeper";
    /** The kit's watchdog grace (KitRunner) and a margin for the answer to travel. */
    static final Duration MARGIN = Duration.ofSeconds(5);

    private final Supplier<Map<String, String>> env;
    private final Path cwd;

    public LifeKeeperCheck(Supplier<Map<String, String>> env, Path cwd) {
        this.env = env;
        this.cwd = cwd.toAbsolutePath();
    }

    @Override
    public Optional<String> refuse(List<String> args, Path clientCwd) {
        List<String> scripts = args.stream().filter(a -> a.equals("--script")).toList();
        int at = args.indexOf("--script");
        if (scripts.size() != 1 || at + 1 >= args.size() || args.stream().anyMatch(a -> a.startsWith("--script="))) {
            return Optional.of("arguments without exactly one --script PATH");
        }
        if (ScriptAction.fromPath(args.get(at + 1)).orElse(null) != Action.QUICK_CHECK) {
            return Optional.of("only quickCheck is answered by the agent");
        }
        if (!clientCwd.toAbsolutePath().normalize().equals(cwd.normalize())) {
            try {
                List<String> relative = relativePaths(ConfigLoader.load(env.get()), env.get());
                if (!relative.isEmpty()) {
                    return Optional.of("relative path in " + relative.get(0) + " read from another working folder");
                }
            } catch (RuntimeException e) {
                // A configuration error: the kit reports it the same way here as in the JVM.
            }
        }
        return Optional.empty();
    }

    /** Settings whose relative paths (or ./commands) resolve against the working folder. */
    static List<String> relativePaths(KitConfig config, Map<String, String> env) {
        List<String> found = new ArrayList<>();
        check(found, "hulftark.exe-path", config.exePath());
        check(found, "hulftark.conf-file", config.confFile());
        check(found, "hulftark.state-dir", config.stateDir());
        check(found, "hulftark.lifekeeper.root", config.lifekeeper().root());
        check(found, "hulftark.lifekeeper.ins-list", config.lifekeeper().insList());
        check(found, "hulftark.lifekeeper.defaults-file", config.lifekeeper().defaultsFile());
        check(found, "LKROOT", Optional.ofNullable(env.get("LKROOT")).filter(s -> !s.isBlank()).map(Path::of));
        KitConfig.CommandPlatform c = config.command();
        Stream.of(c.status(), c.startType(), c.setDemand()).forEach(argv -> argv
                .filter(a -> !a.isEmpty() && (a.get(0).contains("/") || a.get(0).contains("\\")))
                .ifPresent(a -> check(found, "hulftark.command.*", Optional.of(Path.of(a.get(0))))));
        return found;
    }

    private static void check(List<String> found, String key, Optional<Path> path) {
        if (path.isPresent() && !path.get().isAbsolute()) {
            found.add(key);
        }
    }

    @Override
    public Duration bound(List<String> args) {
        try {
            // LifeKeeper's defaults file alone (KitContext would log its warnings a second time).
            KitConfig config = ConfigLoader.load(env.get());
            Optional<Path> lkroot = config.lifekeeper().root().or(() -> Optional.ofNullable(env.get().get("LKROOT"))
                    .filter(s -> !s.isBlank()).map(Path::of));
            boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
            return LifeKeeperDefaults.locate(config.lifekeeper().defaultsFile(), lkroot, windows)
                    .map(LifeKeeperDefaults::read).orElseGet(LifeKeeperDefaults::builtIn).timeout().plus(MARGIN);
        } catch (RuntimeException e) {
            return MARGIN;  // the configuration fails at once, in the check as in the JVM
        }
    }

    @Override
    public int run(List<String> args, PrintWriter out, PrintWriter err) {
        List<String> argv = new ArrayList<>();
        argv.add(NAME);
        argv.addAll(args);
        return Cli.execute(argv.toArray(String[]::new), out, err, env.get());
    }
}
