package io.hulftark.cli.ctl;

import io.hulftark.cli.CtlCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** What every ctl command does around its request: the shared options, and a failure as one line and its exit code. */
abstract class CtlCall implements Callable<Integer> {

    @ParentCommand
    CtlCommand ctl;

    @Spec
    CommandSpec spec;

    @Mixin
    CtlOptions options;

    PrintWriter out;
    PrintWriter err;

    @Override
    public final Integer call() {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        try {
            return run(options.client(ctl.env()));
        } catch (CtlException e) {
            out.flush();
            err.println("hulft-ark ctl: " + e.getMessage());
            return e.exitCode();
        } finally {
            out.flush();
            err.flush();
        }
    }

    abstract int run(FleetClient client);

    /** A note for people on stderr (stdout stays the result, for pipes). */
    void note(String line) {
        err.println("hulft-ark ctl: " + line);
        err.flush();
    }
}
