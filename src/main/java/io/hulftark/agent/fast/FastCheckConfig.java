package io.hulftark.agent.fast;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The agent's answer to the launchers' quickCheck (README, "Start-up time"). */
@ConfigMapping(prefix = "hulftark.agent.fast-check")
public interface FastCheckConfig {

    /** false: every launcher check starts its own JVM, as before. */
    @WithDefault("true")
    boolean enabled();

    /** unix (Linux) or loopback (with a key file; Windows, which the Perl client cannot reach over a UNIX socket). */
    Optional<Transport> transport();

    /** The socket; its folder is made 0700. Default: /var/lib/hulft-ark/fast/check.sock, where the launchers look. */
    @WithDefault("/var/lib/hulft-ark/fast/check.sock")
    Path socket();

    /** Loopback only: "PORT SECRET", readable by this user (and SYSTEM/Administrators) only. Default: STATE-DIR/fast-check.key. */
    Optional<Path> keyFile();

    /** Checks answered at once; one more connection is answered "busy" and its launcher starts a JVM. */
    @WithDefault("2")
    int workers();

    /** A launcher must send its whole request within this; the launcher itself waits 1 s for the first answer. */
    @WithDefault("1s")
    Duration requestTimeout();

    enum Transport { UNIX, LOOPBACK }
}
