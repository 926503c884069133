package io.hulftark.cli;

import io.hulftark.app.KitContext;
import io.hulftark.app.Preflight;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "validate", header = "Preflight: check from this node what the kit relies on (spec section 2).",
        description = "Prints one row per check; exits 0 only when every check holds (a WARN row does not fail).")
public class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    HulftArkCommand top;

    @Spec
    CommandSpec spec;

    @Mixin
    TagOptions tag;

    @Override
    public Integer call() {
        KitContext context = top.context(spec.commandLine().getErr());
        List<Preflight.Row> rows = new Preflight(context).run(tag.tag);
        PrintWriter out = spec.commandLine().getOut();
        int w = rows.stream().mapToInt(r -> r.check().length()).max().orElse(5);
        out.printf("%-" + w + "s  %-6s  %s%n", "CHECK", "RESULT", "DETAIL");
        for (Preflight.Row r : rows) {
            out.printf("%-" + w + "s  %-6s  %s%n", r.check(), r.result(), r.detail());
        }
        out.flush();
        return rows.stream().anyMatch(r -> r.result() == Preflight.Result.FAIL) ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
