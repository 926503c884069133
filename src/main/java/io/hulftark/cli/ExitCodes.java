package io.hulftark.cli;

/**
 * Every exit code of the CLI, in one place. LifeKeeper reads 0 and 1 (spec); 2 is a usage error.
 * 3 to 7 are for {@code hulft-ark ctl}, so that a script can branch on why a request to the fleet view did not succeed.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** An action failed; for ctl: the action or batch waited for ended FAILED, CANCELLED or STOPPED. */
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** ctl: the fleet view knows no such cluster, node, tag, action or batch (404). */
    public static final int NOT_FOUND = 3;
    /** ctl: the fleet view refused the request (409: an action runs, it needs --force, actions not allowed). */
    public static final int REFUSED = 4;
    /** ctl: no token, an unknown token, or a token whose role may not do this (401/403). */
    public static final int NOT_AUTHORISED = 5;
    /** ctl: the fleet view cannot be reached, did not answer in time, or answered 5xx. */
    public static final int UNREACHABLE = 6;
    /** ctl: --wait ran out of time; the action or batch goes on. */
    public static final int WAIT_TIMEOUT = 7;

    private ExitCodes() {
    }
}
