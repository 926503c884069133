package io.hulftark.cli;

/** Every exit code of the CLI, in one place. LifeKeeper reads 0 and 1 (spec); 2 is a usage error. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
