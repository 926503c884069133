package io.hulftark.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** --help of every command renders, with its header, and exits 0. */
class HelpTest {

    static Stream<String> commands() {
        List<String> names = new ArrayList<>();
        collect(Cli.commandLine(Map.of()), names);
        return names.stream();
    }

    private static void collect(CommandLine cl, List<String> names) {
        names.add(cl.getCommandSpec().qualifiedName());
        cl.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, names));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpRenders(String qualifiedName) {
        List<String> args = new ArrayList<>(List.of(qualifiedName.split(" ")));
        args.remove(0);
        args.add("--help");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err), Map.of());
        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).contains("Usage: " + qualifiedName);
        String header = out.toString().lines().findFirst().orElse("");
        assertThat(header).as("a one-line header").isNotBlank().doesNotStartWith("Usage");
    }

    @org.junit.jupiter.api.Test
    void everyCommandIsListed() {
        assertThat(commands()).contains("hulft-ark lifekeeper", "hulft-ark restore", "hulft-ark remove",
                "hulft-ark quickCheck", "hulft-ark recover", "hulft-ark validate", "hulft-ark demo",
                "hulft-ark sim create", "hulft-ark agent", "hulft-ark token new", "hulft-ark ctl clusters",
                "hulft-ark ctl cluster", "hulft-ark ctl act", "hulft-ark ctl action", "hulft-ark ctl batch",
                "hulft-ark ctl batch-status", "hulft-ark ctl batch-pause", "hulft-ark ctl batch-resume",
                "hulft-ark ctl batch-cancel", "hulft-ark ctl events");
    }
}
