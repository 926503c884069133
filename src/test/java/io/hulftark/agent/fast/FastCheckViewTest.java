package io.hulftark.agent.fast;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's view (Perl) and the agent's (Java) of the same inputs are the same lines; each input counts. */
class FastCheckViewTest {

    @TempDir
    Path dir;
    Path app;
    Path cwd;
    Map<String, String> env;

    @BeforeEach
    void layOut() throws IOException {
        app = Files.createDirectories(dir.resolve("hulft ark"));
        Files.writeString(app.resolve("quarkus-run.jar"), "runner");
        Files.createDirectories(app.resolve("app"));
        Files.writeString(app.resolve("app").resolve("hulft-ark-1.0.jar"), "code");
        Files.createDirectories(app.resolve("lib").resolve("main"));
        Files.writeString(app.resolve("lib").resolve("main").resolve("a.jar"), "a");
        Files.createDirectories(app.resolve("config"));
        Files.writeString(app.resolve("config").resolve("application.properties"), "hulftark.probe=tcp\n");
        cwd = Files.createDirectories(dir.resolve("lk cwd"));
        env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "LKROOT", "/opt/LifeKeeper", "LANG", "C.UTF-8",
                "HULFTARK_PROBE_TIMEOUT", "5s", "HULFTARK_HOME", app.toString(), "UNRELATED", "x"));
    }

    List<String> java() throws IOException {
        return FastCheckView.of(app, cwd, env, new Properties(), System.getProperty("user.name"));
    }

    @Test
    void perlAndJavaSeeTheSameLines() throws Exception {
        List<String> java = java();
        assertThat(PerlClient.view(cwd, env, app)).isEqualTo(java);
        assertThat(java).contains("env LKROOT=/opt/LifeKeeper", "env HULFTARK_PROBE_TIMEOUT=5s")
                .noneMatch(l -> l.contains("UNRELATED") || l.contains("HULFTARK_HOME"));
    }

    @Test
    void aValueWithNewlinesAndPercentIsOneLineOnBothSides() throws Exception {
        env.put("HULFTARK_EXE_PATH", "/a%b\nc\rd");
        assertThat(PerlClient.view(cwd, env, app)).isEqualTo(java()).contains("env HULFTARK_EXE_PATH=/a%25b%0Ac%0Dd");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"app config", "working folder config", "config location", "missing location", "kit env",
            "LKROOT", "PATH", "locale", "JVM options", "jar touched", "jar added", "HULFT env"})
    void eachInputTheJvmReadsChangesTheViewAndBothSidesAgree(String input) throws Exception {
        List<String> before = java();
        switch (input) {
            case "app config" -> Files.writeString(app.resolve("config/application.properties"), "hulftark.probe=x\n");
            case "working folder config" -> {
                Files.createDirectories(cwd.resolve("config"));
                Files.writeString(cwd.resolve("config/application.properties"), "hulftark.debug=true\n");
            }
            case "config location" -> {
                Files.writeString(dir.resolve("site.properties"), "hulftark.debug=true\n");
                env.put("QUARKUS_CONFIG_LOCATIONS", dir.resolve("site.properties").toString());
            }
            case "missing location" -> env.put("QUARKUS_CONFIG_LOCATIONS", dir.resolve("nope.properties").toString());
            case "kit env" -> env.put("HULFTARK_DEBUG", "true");
            case "LKROOT" -> env.put("LKROOT", "/elsewhere");
            case "PATH" -> env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
            case "locale" -> env.put("LC_ALL", "ja_JP.UTF-8");
            case "JVM options" -> env.put("JAVA_TOOL_OPTIONS", "-Dhulftark.debug=true");
            case "jar touched" -> Files.setLastModifiedTime(app.resolve("app/hulft-ark-1.0.jar"),
                    FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L));
            case "jar added" -> Files.writeString(app.resolve("lib/main/b.jar"), "b");
            case "HULFT env" -> env.put("HULEXEP", "/usr/local/HULFT/bin");
            default -> throw new IllegalArgumentException(input);
        }
        List<String> after = java();
        assertThat(after).isNotEqualTo(before);
        assertThat(PerlClient.view(cwd, env, app)).isEqualTo(after);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HULFTARK_HOME", "HULFTARK_JAVA", "HULFTARK_FAST_SOCKET", "HULFTARK_AGENT_CHECK_INTERVAL",
            "HULFTARK_FLEET_URL", "SHLVL", "PWD"})
    void whatOnlyTheLauncherOrTheAgentReadsDoesNotCount(String name) throws Exception {
        List<String> before = java();
        env.put(name, "something-else");
        assertThat(java()).isEqualTo(before);
        assertThat(PerlClient.view(cwd, env, app)).isEqualTo(before);
    }

    @Test
    void aKitSystemPropertyOfTheAgentIsOneTheLauncherDoesNotHave() throws Exception {
        Properties p = new Properties();
        p.setProperty("hulftark.exe-path", "/x");
        p.setProperty("hulftark.agent.check-interval", "1s");
        p.setProperty("quarkus.http.port", "1");
        List<String> agent = FastCheckView.of(app, cwd, env, p, System.getProperty("user.name"));
        assertThat(agent).contains("sysprop hulftark.exe-path=/x").noneMatch(l -> l.contains("check-interval")
                || l.contains("quarkus.http"));
        assertThat(FastCheckView.firstDifference(agent, PerlClient.view(cwd, env, app)))
                .isEqualTo("sysprop hulftark.exe-path");
    }

    @Test
    void theWorkingFolderIsTheAppFolderAsUnderSystemd() throws Exception {
        // The agent runs in the app folder (its config read once, as the working folder's); the launcher elsewhere.
        List<String> agent = FastCheckView.of(app, app, env, new Properties(), System.getProperty("user.name"));
        assertThat(PerlClient.view(cwd, env, app)).isEqualTo(agent);
    }
}
