package io.hulftark.cli.ctl;

/** Ends a ctl command: one line for stderr and the exit code a script branches on (see {@code ExitCodes}). */
public final class CtlException extends RuntimeException {

    private final int exitCode;

    public CtlException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
