package io.hulftark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** deploy/linux/hulft-ark-lk run for real from its copy under {@code !restore}, against a JVM stand-in. */
class LinuxLauncherTest {

    private static final List<String> ARGS = List.of("-t", "HULFT-tag", "-i", "id 1", "arg with  spaces",
            "cost$HOME;echo pwned", "$(touch pwned)", "'\"*", "");

    @TempDir
    Path tmp;

    private LauncherHarness lk;

    @BeforeEach
    void setUp() throws IOException {
        lk = new LauncherHarness(tmp, "deploy/linux/hulft-ark-lk");
    }

    @Test
    void runsTheAppWithItsOwnFullPathAndEveryArgumentUnchanged() throws Exception {
        LauncherHarness.Result r = lk.run(lk.script.getParent(), command("./hulft-ark-lk"), Map.of());

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(lk.expectedArgv(lk.java, ARGS), r.javaArgv());
        assertFalse(Files.exists(lk.script.getParent().resolve("pwned")));
    }

    @Test
    void runByItsFullPathFromElsewhere() throws Exception {
        LauncherHarness.Result r = lk.run(tmp, command(lk.script.toString()), Map.of());

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(lk.expectedArgv(lk.java, ARGS), r.javaArgv());
    }

    @Test
    void aClassDataArchiveInTheAppFolderIsUsed() throws Exception {
        Path archive = Files.writeString(lk.app.resolve("hulft-ark.jsa"), "archive");
        LauncherHarness.Result r = lk.run(tmp, command(lk.script.toString()), Map.of());

        assertEquals(0, r.exitCode(), r.stderr());
        int cds = r.javaArgv().indexOf("-XX:SharedArchiveFile=" + archive);
        assertTrue(cds > 0 && cds < r.javaArgv().indexOf("-jar"), r.javaArgv().toString());
        assertEquals(ARGS, r.javaArgv().subList(r.javaArgv().size() - ARGS.size(), r.javaArgv().size()));
    }

    @ParameterizedTest(name = "exit {0}")
    @ValueSource(ints = {0, 1, 2, 7})
    void exitCodeOfTheAppIsReturnedUnchanged(int code) throws Exception {
        LauncherHarness.Result r = lk.run(tmp, command(lk.script.toString()), Map.of("STANDIN_EXIT", Integer.toString(code)));

        assertEquals(code, r.exitCode(), r.stderr());
    }

    @Test
    void javaThatCannotBeFoundIsAFailureWithOneLine() throws Exception {
        LauncherHarness.Result r = lk.run(tmp, command(lk.script.toString()),
                Map.of("HULFTARK_JAVA", tmp.resolve("no java here").toString()));

        assertEquals(1, r.exitCode());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("hulft-ark-lk: cannot run "), r.stderr());
        assertNull(r.javaArgv());
    }

    @Test
    void withoutHulftarkJavaTheJreInTheAppFolderIsUsed() throws Exception {
        Path bundled = LauncherHarness.standIn(lk.app.resolve("jre").resolve("bin").resolve("java"));
        Map<String, String> env = new HashMap<>();
        env.put("HULFTARK_JAVA", null);

        LauncherHarness.Result r = lk.run(tmp, command(lk.script.toString()), env);

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(lk.expectedArgv(bundled, ARGS), r.javaArgv());
    }

    private static List<String> command(String script) {
        List<String> command = new ArrayList<>(List.of(script));
        command.addAll(ARGS);
        return command;
    }
}
