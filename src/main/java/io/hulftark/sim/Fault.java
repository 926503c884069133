package io.hulftark.sim;

/**
 * Faults the simulated HULFT can be given on demand. All but {@link #CRASH} are kept in
 * {@code home/var/faults} until cleared, so that a later command (another process) sees them.
 */
public enum Fault {
    /** The service waits this many milliseconds before it listens; {@code utlsvcctl -c start} waits with it. */
    SLOW_START("slow-start", "milliseconds (0 to 3600000)"),
    /** {@code utlsvcctl -c start} never returns; it hangs before launching anything, so killing it leaves nothing. */
    START_HANG("start-hang", null),
    /** {@code utlsvcctl -c start} exits with this code (1 to 255) without starting the service. */
    START_FAIL("start-fail", "an exit code (1 to 255)"),
    /** {@code utlsvcctl -c stop} exits with this code (1 to 255) and leaves the service running. */
    STOP_FAIL("stop-fail", "an exit code (1 to 255)"),
    /** {@code utlsvcctl -c stop} never returns and leaves the service running. */
    STOP_HANG("stop-hang", null),
    /** The running service closes its listener on this port within about 100 ms (or never opens it); repeatable. */
    REFUSE_PORT("refuse-port", "a port (1 to 65535)"),
    /** Not kept: kills the service process at once (SIGKILL), no clean stop; its pid file stays behind. */
    CRASH("crash", null);

    private final String word;
    private final String argumentHint;

    Fault(String word, String argumentHint) {
        this.word = word;
        this.argumentHint = argumentHint;
    }

    /** The name used in the faults file and on the command line, e.g. {@code slow-start}. */
    public String word() {
        return word;
    }

    public boolean takesArgument() {
        return argumentHint != null;
    }

    /** What the argument must be, for messages; null when the fault takes none. */
    public String argumentHint() {
        return argumentHint;
    }

    /** The fault named {@code word}, or null. */
    public static Fault parse(String word) {
        for (Fault f : values()) {
            if (f.word.equals(word)) {
                return f;
            }
        }
        return null;
    }
}
