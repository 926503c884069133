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
    SPLIT;

    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind named {@code word} (crash, refused-port, hung-start, split), or null. */
    public static FaultKind parse(String word) {
        for (FaultKind k : values()) {
            if (k.word().equals(word)) {
                return k;
            }
        }
        return null;
    }
}
