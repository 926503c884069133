package io.hulftark.demo;

import java.util.Locale;

/** The faults the demo injects, by the name its --faults option takes. */
public enum FaultKind {
    /** The active node's HULFT service is killed. */
    CRASH,
    /** The active node's HULFT stops answering on one port. */
    REFUSED_PORT,
    /** The standby's next start hangs, then the active node crashes: the failover's restore hangs until LKHULFT_TIMEOUT. */
    HUNG_START,
    /** HULFT is started on the standby too. */
    SPLIT,
    /**
     * The standby's conf_file (hulenv.cnf) becomes unreadable: nothing fails now, but a failover to it would. Its
     * agent's next preflight says so and the fleet view marks the cluster DEGRADED until the node is repaired.
     */
    UNREADY_STANDBY;

    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind named {@code word} (crash, refused-port, hung-start, split, unready-standby), or null. */
    /** Every kind's word, comma-separated, for messages. */
    public static String words() {
        StringBuilder s = new StringBuilder();
        for (FaultKind k : values()) {
            s.append(s.length() == 0 ? "" : ", ").append(k.word());
        }
        return s.toString();
    }

    public static FaultKind parse(String word) {
        for (FaultKind k : values()) {
            if (k.word().equals(word)) {
                return k;
            }
        }
        return null;
    }
}
