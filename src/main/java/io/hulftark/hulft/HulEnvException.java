package io.hulftark.hulft;

/** {@code hulenv.cnf} could not be used; the message is one line naming the file (and the line). */
public class HulEnvException extends Exception {

    /** UNREADABLE: missing, not a file, too large, no access. INVALID: read, but a setting we need is garbled. */
    public enum Kind { UNREADABLE, INVALID }

    private final Kind kind;

    public HulEnvException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
