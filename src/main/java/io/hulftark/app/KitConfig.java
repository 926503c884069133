package io.hulftark.app;

import io.hulftark.kit.KitParameters;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The kit's configuration keys ({@code hulftark.*}); each is documented in README.md. */
@ConfigMapping(prefix = "hulftark")
public interface KitConfig {

    /** The spec's $exe_path: HULFT's bin folder. */
    Optional<Path> exePath();

    /** The spec's $conf_file: HULFT's hulenv.cnf. */
    Optional<Path> confFile();

    /**
     * hulenv.cnf lives on the shared disk (spec section 2), so a standby cannot read it while the volume is in
     * service on the other node: there its unreadable conf_file is expected (a WARN of the preflight, not a failover
     * that would fail) and its hulenv.cnf settings are not compared with the active node's (they are one file).
     * false: every node keeps a copy it must be able to read (a standby that cannot would fail a failover).
     */
    @WithDefault("false")
    boolean confFileShared();

    /** The spec's $debug. */
    @WithDefault("false")
    boolean debug();

    /** windows, linux or command; from the OS when not set. */
    Optional<PlatformKind> platform();

    CommandPlatform command();

    /** agent or fleet: which long-running service Quarkus runs; set by the 'agent' and 'fleet' commands (ServerRole). */
    @WithDefault("agent")
    String role();

    /** Locks (and, for the agent, its journal). Default: %ProgramData%\hulft-ark or /var/lib/hulft-ark. */
    Optional<Path> stateDir();

    @WithDefault("utlalivecheck")
    KitParameters.ProbeKind probe();

    /** The host given to the probe; default: hulenv.cnf's myhostname, else localhost. */
    Optional<String> probeHost();

    /** Bound of one service-control command (utlsvcctl, a state query, ins_list). */
    @WithDefault("120s")
    Duration commandTimeout();

    /** Bound of one port probe (utlalivecheck itself waits 10 s). */
    @WithDefault("15s")
    Duration probeTimeout();

    LifeKeeper lifekeeper();

    /** The cluster this node belongs to, as the agent and the fleet view name it. */
    Optional<String> cluster();

    /** This node's name; default: the host name. */
    Optional<String> node();

    /** Event log source (Windows) or syslog tag (Linux). */
    @WithDefault("hulft-ark")
    String eventSource();

    enum PlatformKind { WINDOWS, LINUX, COMMAND }

    interface CommandPlatform {
        /** Exit 0 running, 3 stopped, 4 not installed; {service} is replaced by the service name. */
        Optional<List<String>> status();

        /** Prints auto, delayed-auto, demand or disabled. */
        Optional<List<String>> startType();

        Optional<List<String>> setDemand();
    }

    interface LifeKeeper {
        /** LifeKeeper's root; default: the LKROOT environment variable, as LifeKeeper sets it. */
        Optional<Path> root();

        /** Default: $LKROOT/bin/ins_list (ins_list.exe on Windows). */
        Optional<Path> insList();

        /** Default: $LKROOT/etc/default/LifeKeeper, or /etc/default/LifeKeeper (LifeKeeper for Linux). */
        Optional<Path> defaultsFile();
    }
}
