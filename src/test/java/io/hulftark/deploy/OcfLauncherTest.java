package io.hulftark.deploy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/linux/ocf/hulft-ark run for real, against a JVM stand-in: a thin launcher of 'hulft-ark ocf ACTION'. */
class OcfLauncherTest {

    @TempDir
    Path tmp;

    private LauncherHarness lk;

    @BeforeEach
    void setUp() throws IOException {
        lk = new LauncherHarness(tmp, "deploy/linux/ocf/hulft-ark");
    }

    private List<String> expected(String... ocfArgs) {
        List<String> argv = new ArrayList<>();
        argv.add(lk.java.toString());
        argv.addAll(LauncherHarness.JVM_FLAGS);
        argv.addAll(List.of("-jar", lk.app.resolve("quarkus-run.jar").toString(), "ocf"));
        argv.addAll(List.of(ocfArgs));
        return argv;
    }

    @Test
    void passesTheActionAndNothingElse() throws Exception {
        LauncherHarness.Result r = lk.run(tmp, List.of(lk.script.toString(), "monitor", "$(touch pwned)", "x y"),
                Map.of("OCF_RESKEY_service", "hulft8; rm -rf /"));

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.javaArgv()).isEqualTo(expected("monitor"));
        assertThat(tmp.resolve("pwned")).doesNotExist();
    }

    @Test
    void withoutAnActionTheAppSaysSo() throws Exception {
        LauncherHarness.Result r = lk.run(tmp, List.of(lk.script.toString()), Map.of());

        assertThat(r.javaArgv()).isEqualTo(expected());
    }

    @ParameterizedTest(name = "exit {0}")
    @ValueSource(ints = {0, 1, 2, 3, 5, 6, 7})
    void theAppsOcfCodeIsReturnedUnchanged(int code) throws Exception {
        LauncherHarness.Result r = lk.run(tmp, List.of(lk.script.toString(), "monitor"),
                Map.of("STANDIN_EXIT", Integer.toString(code)));

        assertThat(r.exitCode()).isEqualTo(code);
    }

    @Test
    void javaThatCannotBeFoundIsNotInstalledWithOneLine() throws Exception {
        LauncherHarness.Result r = lk.run(tmp, List.of(lk.script.toString(), "monitor"),
                Map.of("HULFTARK_JAVA", tmp.resolve("no java here").toString()));

        assertThat(r.exitCode()).as("OCF_ERR_INSTALLED").isEqualTo(5);
        assertThat(r.stderr().lines()).hasSize(1).allMatch(l -> l.startsWith("hulft-ark (OCF): cannot run "));
        assertThat(r.javaArgv()).isNull();
    }

    @Test
    void aClassDataArchiveInTheAppFolderIsUsed() throws Exception {
        java.nio.file.Files.writeString(lk.app.resolve("hulft-ark.jsa"), "archive");
        LauncherHarness.Result r = lk.run(tmp, List.of(lk.script.toString(), "start"), Map.of());

        assertThat(r.javaArgv()).contains("-XX:SharedArchiveFile=" + lk.app.resolve("hulft-ark.jsa"));
        assertThat(r.javaArgv().subList(r.javaArgv().size() - 2, r.javaArgv().size())).containsExactly("ocf", "start");
    }

    /** A stand-in for hulft-ark-fast (run by perl): writes its argv to a file and exits with FAST_EXIT. */
    private Path fastClient() throws IOException {
        Path client = tmp.resolve("fast client");
        java.nio.file.Files.writeString(client, """
                open my $f, '>', $ENV{FAST_ARGV} or die "argv: $!";
                print $f join("\\0", $0, @ARGV);
                close $f;
                print STDERR "answered by the stand-in agent\\n";
                exit $ENV{FAST_EXIT};
                """);
        return client;
    }

    @ParameterizedTest(name = "agent answers {0}")
    @ValueSource(ints = {0, 1, 5, 6, 7})
    void monitorIsAnsweredByTheNodeAgentWhenItAnswers(int code) throws Exception {
        Path argv = tmp.resolve("fast-argv");
        LauncherHarness.Result r = lk.run(tmp, List.of(lk.script.toString(), "monitor"),
                Map.of("HULFTARK_FAST_CLIENT", fastClient().toString(), "FAST_ARGV", argv.toString(),
                        "FAST_EXIT", Integer.toString(code), "STANDIN_EXIT", "3"));

        assertThat(r.exitCode()).isEqualTo(code);
        assertThat(r.javaArgv()).as("no JVM").isNull();
        assertThat(r.stderr()).isEqualTo("answered by the stand-in agent\n");
        assertThat(java.nio.file.Files.readString(argv).split("\0"))
                .endsWith(lk.app.toString(), "ocf", "monitor");
    }

    @Test
    void monitorRunsTheJvmWhenTheAgentDoesNotAnswer() throws Exception {
        LauncherHarness.Result r = lk.run(tmp, List.of(lk.script.toString(), "monitor"),
                Map.of("HULFTARK_FAST_CLIENT", fastClient().toString(), "FAST_ARGV", tmp.resolve("a").toString(),
                        "FAST_EXIT", "111", "STANDIN_EXIT", "7"));

        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.javaArgv()).isEqualTo(expected("monitor"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"start", "stop", "validate-all", "reload", "meta-data"})
    void noOtherActionAsksTheAgent(String action) throws Exception {
        Path argv = tmp.resolve("fast-argv");
        LauncherHarness.Result r = lk.run(tmp, List.of(lk.script.toString(), action),
                Map.of("HULFTARK_FAST_CLIENT", fastClient().toString(), "FAST_ARGV", argv.toString(),
                        "FAST_EXIT", "0", "STANDIN_EXIT", "1"));

        assertThat(argv).doesNotExist();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.javaArgv()).isEqualTo(expected(action));
    }
}
