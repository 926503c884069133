package io.hulftark.hulft;

import java.time.Duration;

/** Tells whether one port of HULFT answers. Implementations never throw and return within about {@code bound}. */
public interface PortProbe {

    ProbeResult probe(String host, int port, Duration bound);

    /** A short name for logs and reports, e.g. "tcp". */
    String name();
}
