package io.hulftark.kit;

import io.hulftark.hulft.HulEnv;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything that steers one run of the kit.
 *
 * @param exePath      the spec's {@code $exe_path}: HULFT's bin folder
 * @param confFile     the spec's {@code $conf_file}: hulenv.cnf
 * @param debug        the spec's {@code $debug}
 * @param retries      LKHULFT_RETRIES: a failed operation is tried up to retries + 1 times
 * @param timeout      LKHULFT_TIMEOUT: bounds the whole action
 * @param forceRemove  LKHULFT_FORCE_REMOVE: a failed remove ends normally (with 51050019)
 * @param probe        how ports are checked
 * @param probeHost    host given to the probe; empty: hulenv.cnf's myhostname, else localhost
 * @param commandBound bound of one service-control command or state query
 * @param probeBound   bound of one port probe
 * @param windows      HULFT's commands carry .exe
 */
public record KitParameters(Optional<Path> exePath, Optional<Path> confFile, boolean debug, int retries,
                            Duration timeout, boolean forceRemove, ProbeKind probe, Optional<String> probeHost,
                            Duration commandBound, Duration probeBound, boolean windows) {

    public static final int DEFAULT_RETRIES = 2;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
    public static final boolean DEFAULT_FORCE_REMOVE = true;

    /** utlalivecheck's own wait, {@code -w 10} in the spec. */
    public static final int ALIVECHECK_WAIT_SECONDS = 10;

    public enum ProbeKind { UTLALIVECHECK, TCP }

    /** The host the probe checks: configured, else hulenv.cnf's myhostname, else localhost. */
    public String probeHostFor(HulEnv env) {
        return probeHost.or(env::myHostName).orElse("localhost");
    }

    public int attempts() {
        return retries + 1;
    }
}
