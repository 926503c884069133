package io.hulftark.sim;

/**
 * Faults the simulated HULFT can be given on demand. The service faults (all but {@link #CRASH} and the node faults)
 * are kept in {@code home/var/faults} until cleared, so that a later command (another process) sees them. The node
 * faults ({@link #CONF_UNREADABLE}, {@link #PORT_HELD}, {@link #DRIFT}) change the node itself, as the 3 a.m.
 * failover finds it, and stay until cleared: {@code fault clear} undoes every fault, {@code fault clear NAME} one.
 */
public enum Fault {
    /** The service waits this many milliseconds before it listens; {@code utlsvcctl -c start} waits with it. */
    SLOW_START("slow-start", "milliseconds (0 to 3600000)", false),
    /** {@code utlsvcctl -c start} never returns; it hangs before launching anything, so killing it leaves nothing. */
    START_HANG("start-hang", null, false),
    /** {@code utlsvcctl -c start} exits with this code (1 to 255) without starting the service. */
    START_FAIL("start-fail", "an exit code (1 to 255)", false),
    /** {@code utlsvcctl -c stop} exits with this code (1 to 255) and leaves the service running. */
    STOP_FAIL("stop-fail", "an exit code (1 to 255)", false),
    /** {@code utlsvcctl -c stop} never returns and leaves the service running. */
    STOP_HANG("stop-hang", null, false),
    /** The running service closes its listener on this port within about 100 ms (or never opens it); repeatable. */
    REFUSE_PORT("refuse-port", "a port (1 to 65535)", false),
    /** Not kept: kills the service process at once (SIGKILL), no clean stop; its pid file stays behind. */
    CRASH("crash", null, false),
    /**
     * hulenv.cnf (the kit's conf_file) can no longer be read: it is put aside in {@code var/} and a folder takes its
     * name, which fails for root too (a permission would not). The service cannot start here any more.
     */
    CONF_UNREADABLE("conf-unreadable", null, false),
    /**
     * Another program holds one of HULFT's ports: a small process of the simulator listens on it (on the address the
     * service would use), so HULFT cannot start here. HULFT must be stopped on this node (a standby).
     */
    PORT_HELD("port-held", "a port (1 to 65535); default: rcvport of hulenv.cnf", true),
    /**
     * This node's LifeKeeper defaults drift from the other node's: LKHULFT_TIMEOUT is set to the argument (default:
     * the current value plus 60 s). Clearing it puts the file back as it was.
     */
    DRIFT("drift", "LKHULFT_TIMEOUT in seconds (1 to 86400); default: the current value plus 60", true);

    private final String word;
    private final String argumentHint;
    private final boolean argumentOptional;

    Fault(String word, String argumentHint, boolean argumentOptional) {
        this.word = word;
        this.argumentHint = argumentHint;
        this.argumentOptional = argumentOptional;
    }

    /** The name used in the faults file and on the command line, e.g. {@code slow-start}. */
    public String word() {
        return word;
    }

    public boolean takesArgument() {
        return argumentHint != null;
    }

    /** Whether the argument may be left out (a default is taken). */
    public boolean argumentOptional() {
        return argumentOptional;
    }

    /** Whether the fault changes the node's files or processes rather than the service's behaviour. */
    public boolean changesNode() {
        return this == CONF_UNREADABLE || this == PORT_HELD || this == DRIFT;
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

    /** Every fault's name with its argument, e.g. {@code slow-start MILLIS, ..., port-held [PORT]}, for usages. */
    public static String synopsis() {
        StringBuilder s = new StringBuilder();
        for (Fault f : values()) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(f.word);
            if (f.takesArgument()) {
                s.append(f.argumentOptional ? " [" : " ").append(f.argumentLabel()).append(f.argumentOptional ? "]" : "");
            }
        }
        return s.toString();
    }

    private String argumentLabel() {
        switch (this) {
            case SLOW_START:
                return "MILLIS";
            case START_FAIL:
            case STOP_FAIL:
                return "CODE";
            case DRIFT:
                return "SECONDS";
            default:
                return "PORT";
        }
    }
}
