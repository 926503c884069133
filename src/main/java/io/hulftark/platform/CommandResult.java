package io.hulftark.platform;

import java.time.Duration;

/**
 * The end of an external command. {@code exitCode} is meaningless when {@code timedOut} or
 * {@code failedToStart} is set; {@code output} is stdout and stderr together, cut to a bounded size.
 */
public record CommandResult(int exitCode, String output, boolean timedOut, String failedToStart, Duration elapsed) {

    public boolean ok() {
        return !timedOut && failedToStart == null && exitCode == 0;
    }

    /** What the kit puts in "code = ..." of its messages: the exit code, or a word for why there is none. */
    public String code() {
        if (timedOut) {
            return "timeout";
        }
        if (failedToStart != null) {
            return "not started";
        }
        return Integer.toString(exitCode);
    }

    /** The first non-blank line of the output, for one-line error reports. */
    public String firstLine() {
        return output.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    }
}
