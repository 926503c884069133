package io.hulftark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/windows/hulft-ark-lk.pl run with the real perl, as LifeKeeper runs it: from its copy under
 * {@code !restore}, with {@code -t TAG -i ID}. Perl here is Linux's, so this proves the launcher's
 * logic (path, arguments, no shell, exit codes), not Windows' quoting of a command line.
 */
class PerlLauncherTest {

    /** Arguments a shell would split, expand or run: they must arrive exactly as given. */
    private static final List<String> ARGS = List.of("-t", "HULFT-tag", "-i", "id 1", "arg with  spaces",
            "cost$HOME;echo pwned", "$(touch pwned)", "'\"*");

    @TempDir
    Path tmp;

    private LauncherHarness lk;

    @BeforeAll
    static void perlIsHere() {
        // perl is installed where this project is built; only a machine without it skips, and says so.
        Assumptions.assumeTrue(onPath("perl"), "perl is not installed: the Windows launcher is NOT tested");
    }

    @BeforeEach
    void setUp() throws IOException {
        lk = new LauncherHarness(tmp, "deploy/windows/hulft-ark-lk.pl");
    }

    @Test
    void runsTheAppWithItsOwnFullPathAndEveryArgumentUnchanged() throws Exception {
        // LifeKeeper may run it by a relative name from its folder: the launcher makes the path absolute.
        LauncherHarness.Result r = lk.run(lk.script.getParent(), perl("hulft-ark-lk.pl"), Map.of());

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(lk.expectedArgv(lk.java, ARGS), r.javaArgv());
        assertFalse(Files.exists(lk.script.getParent().resolve("pwned")));
        assertFalse(Files.exists(tmp.resolve("pwned")));
    }

    @Test
    void runByItsFullPathFromElsewhere() throws Exception {
        LauncherHarness.Result r = lk.run(tmp, perl(lk.script.toString()), Map.of());

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(lk.expectedArgv(lk.java, ARGS), r.javaArgv());
    }

    @Test
    void aClassDataArchiveInTheAppFolderIsUsed() throws Exception {
        Path archive = Files.writeString(lk.app.resolve("hulft-ark.jsa"), "archive");
        LauncherHarness.Result r = lk.run(tmp, perl(lk.script.toString()), Map.of());

        assertEquals(0, r.exitCode(), r.stderr());
        int cds = r.javaArgv().indexOf("-XX:SharedArchiveFile=" + archive);
        assertTrue(cds > 0 && cds < r.javaArgv().indexOf("-jar"), r.javaArgv().toString());
        assertEquals(ARGS, r.javaArgv().subList(r.javaArgv().size() - ARGS.size(), r.javaArgv().size()));
    }

    @ParameterizedTest(name = "exit {0}")
    @ValueSource(ints = {0, 1, 2, 7})
    void exitCodeOfTheAppIsReturnedUnchanged(int code) throws Exception {
        LauncherHarness.Result r = lk.run(tmp, perl(lk.script.toString()), Map.of("STANDIN_EXIT", Integer.toString(code)));

        assertEquals(code, r.exitCode(), r.stderr());
    }

    @Test
    void javaKilledBySignalIsAFailure() throws Exception {
        LauncherHarness.Result r = lk.run(tmp, perl(lk.script.toString()), Map.of("STANDIN_SIGNAL", "KILL"));

        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("signal 9"), r.stderr());
    }

    @Test
    void javaThatCannotBeRunIsAFailureWithOneLine() throws Exception {
        Map<String, String> env = Map.of("HULFTARK_JAVA", tmp.resolve("no java here").toString());

        LauncherHarness.Result r = lk.run(tmp, perl(lk.script.toString()), env);

        assertEquals(1, r.exitCode());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("hulft-ark-lk: cannot run "), r.stderr());
        assertNull(r.javaArgv());
    }

    @Test
    void withoutHulftarkJavaTheJreInTheAppFolderIsUsed() throws Exception {
        Path bundled = LauncherHarness.standIn(lk.app.resolve("jre").resolve("bin").resolve("java"));
        Map<String, String> env = new java.util.HashMap<>();
        env.put("HULFTARK_JAVA", null);

        LauncherHarness.Result r = lk.run(tmp, perl(lk.script.toString()), env);

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(lk.expectedArgv(bundled, ARGS), r.javaArgv());
    }

    private static List<String> perl(String script) {
        List<String> command = new ArrayList<>(List.of("perl", script));
        command.addAll(ARGS);
        return command;
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}
