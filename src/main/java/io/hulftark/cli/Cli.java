package io.hulftark.cli;

import io.smallrye.config.ConfigValidationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The command line without Quarkus: parses, runs one command, maps every failure to one line and
 * an exit code. Stack traces only with {@code HULFTARK_STACKTRACE=1}.
 */
public final class Cli {

    private Cli() {
    }

    /** The whole command tree, as --help shows it. */
    public static CommandLine commandLine(Map<String, String> env) {
        return commandLine(env, new String[0]);
    }

    /** The command tree for {@code args}: the top command with the subcommand args[0] names, or with all. */
    static CommandLine commandLine(Map<String, String> env, String[] args) {
        CommandLine cl = new CommandLine(new HulftArkCommand().withEnv(env));
        Class<?> named = args.length == 0 ? null : HulftArkCommand.SUBCOMMANDS.stream()
                .filter(c -> names(c).contains(args[0])).findFirst().orElse(null);
        for (Class<?> sub : HulftArkCommand.SUBCOMMANDS) {
            if (named == null || sub == named) {
                cl.addSubcommand(sub);
            }
        }
        cl.setExitCodeExceptionMapper(e -> e instanceof ParameterException ? ExitCodes.USAGE : ExitCodes.FAILED);
        cl.setParameterExceptionHandler(Cli::usageError);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("hulft-ark: " + oneLine(e));
            if ("1".equals(env.get("HULFTARK_STACKTRACE"))) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return ExitCodes.FAILED;
        });
        return cl;
    }

    public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine cl = commandLine(env, args);
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static List<String> names(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(c.aliases()));
        names.add(c.name());
        return names;
    }

    /** One line saying what is wrong, the usage, and where to read more. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("hulft-ark: " + e.getMessage());
        cl.usage(err, CommandLine.Help.Ansi.OFF);
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    static String oneLine(Throwable e) {
        if (e instanceof ConfigValidationException v && v.getProblemCount() > 0) {
            return "configuration error: " + firstLine(v.getProblem(0).getMessage())
                    + (v.getProblemCount() > 1 ? " (and " + (v.getProblemCount() - 1) + " more)" : "");
        }
        if (e instanceof ConfigValidationException || e instanceof NoSuchElementException
                || e.getClass().getName().startsWith("io.smallrye.config")) {
            return "configuration error: " + firstLine(e.getMessage());
        }
        String m = e.getMessage();
        return firstLine(m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
    }

    private static String firstLine(String s) {
        String line = s == null ? "" : s.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(s);
        // SmallRye wraps the useful sentence in exception class names and message codes.
        return line.replaceAll("^(?:[\\w.$]+(?:Exception|Error): )+", "").replaceAll("SRCFG\\d+: ", "");
    }
}
