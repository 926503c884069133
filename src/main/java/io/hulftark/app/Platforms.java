package io.hulftark.app;

import io.hulftark.platform.CommandRunner;
import io.hulftark.platform.EventLog;
import io.hulftark.platform.Platform;
import io.hulftark.platform.command.CommandServiceControl;
import io.hulftark.platform.linux.LinuxPlatform;
import io.hulftark.platform.linux.LinuxServiceControl;
import io.hulftark.platform.windows.WindowsPlatform;

import java.util.List;
import java.util.Locale;

/** Chooses the platform once at start-up: {@code hulftark.platform} if set, else from the OS. */
public final class Platforms {

    private Platforms() {
    }

    public static Platform choose(KitConfig config, CommandRunner runner) {
        String os = System.getProperty("os.name", "");
        boolean windowsOs = os.toLowerCase(Locale.ROOT).startsWith("windows");
        KitConfig.PlatformKind kind = config.platform()
                .orElse(windowsOs ? KitConfig.PlatformKind.WINDOWS : KitConfig.PlatformKind.LINUX);
        String why = config.platform().isPresent()
                ? "hulftark.platform=" + kind.name().toLowerCase(Locale.ROOT)
                : "the OS is " + os + " (hulftark.platform is not set)";
        return switch (kind) {
            case COMMAND -> command(config, runner, why, windowsOs);
            case WINDOWS -> withWhy(WindowsPlatform.create(config.eventSource()), why);
            case LINUX -> withWhy(LinuxPlatform.create(runner, LinuxServiceControl.DEFAULT_SYSTEMCTL,
                    config.eventSource()), why);
        };
    }

    private static Platform withWhy(Platform p, String why) {
        return new Platform(p.name(), why, p.windows(), p.services(), p.eventLog(), p.commands());
    }

    private static Platform command(KitConfig config, CommandRunner runner, String why, boolean windowsOs) {
        KitConfig.CommandPlatform c = config.command();
        CommandServiceControl services = new CommandServiceControl(runner,
                required(c.status().orElse(List.of()), "status"),
                required(c.startType().orElse(List.of()), "start-type"),
                required(c.setDemand().orElse(List.of()), "set-demand"));
        return new Platform("command", why, windowsOs, services, EventLog.NONE, runner);
    }

    private static List<String> required(List<String> argv, String key) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("hulftark.command." + key + " is not set (the command platform needs it)");
        }
        return argv;
    }
}
