package io.hulftark.ocf;

import io.hulftark.app.KitConfig;
import io.hulftark.app.KitContext;
import io.hulftark.app.KitRunner;
import io.hulftark.app.Platforms;
import io.hulftark.kit.Action;
import io.hulftark.kit.KitParameters;
import io.hulftark.kit.Reporter;
import io.hulftark.kit.ServiceNames;
import io.hulftark.lifekeeper.LifeKeeperDefaults;
import io.hulftark.platform.EventLog;
import io.hulftark.platform.Platform;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ProcessCommandRunner;
import io.hulftark.platform.ServiceControl;
import io.hulftark.platform.linux.LinuxServiceControl;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * This node as the kit's configuration describes it: the platform (systemd and syslog on Linux),
 * the state folder whose locks the node agent shares, and the kit run through {@link KitRunner}
 * with its watchdog, exactly as the LifeKeeper launcher runs it. LifeKeeper plays no part: the
 * parameters come from Pacemaker.
 */
public final class PlatformNode implements OcfNode {

    private final KitConfig config;
    private final Platform platform;
    private final Path stateDir;

    private PlatformNode(KitConfig config, Platform platform, Path stateDir) {
        this.config = config;
        this.platform = platform;
        this.stateDir = stateDir;
    }

    public static PlatformNode create(KitConfig config, Map<String, String> env) {
        return new PlatformNode(config, Platforms.choose(config, new ProcessCommandRunner()),
                KitContext.stateDir(config, env));
    }

    /** Where messages go besides stderr: syslog on Linux. */
    public EventLog eventLog() {
        return platform.eventLog();
    }

    @Override
    public ServiceControl services() {
        return platform.services();
    }

    @Override
    public Optional<String> serviceNameProblem(String service) {
        if (!"linux".equals(platform.name())) {
            return Optional.empty();
        }
        try {
            LinuxServiceControl.unitName(service);
            return Optional.empty();
        } catch (PlatformException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public boolean windows() {
        return platform.windows();
    }

    @Override
    public int run(Action action, KitParameters parameters, ServiceNames names, String tag, Reporter reporter) {
        KitContext context = new KitContext(config, platform, Optional.empty(), Optional.empty(),
                LifeKeeperDefaults.builtIn(), parameters, names, stateDir, reporter);
        return KitRunner.run(context, action, tag);
    }
}
