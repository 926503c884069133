package io.hulftark.hulft;

import java.time.Duration;
import java.util.Objects;

/**
 * The answer of one probe. {@code code} goes into the spec's "code = ..." of message 51050007:
 * "0" on success, a command's exit code, or a word such as "refused", "timeout", "unresolved".
 * {@code detail} is a one-line reason, or "" when there is nothing to add.
 */
public record ProbeResult(int port, boolean ok, String code, Duration latency, String detail) {

    public ProbeResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(latency, "latency");
        // A multi-line reason would break the one-line messages built from it.
        detail = detail == null ? "" : detail.lines().findFirst().orElse("").strip();
    }

    public static ProbeResult success(int port, Duration latency) {
        return new ProbeResult(port, true, "0", latency, "");
    }

    public static ProbeResult failure(int port, String code, Duration latency, String detail) {
        return new ProbeResult(port, false, code, latency, detail);
    }
}
