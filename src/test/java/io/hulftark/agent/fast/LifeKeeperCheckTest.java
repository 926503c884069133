package io.hulftark.agent.fast;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Only a read-only quickCheck command line is the agent's to answer, and only where it reads the same. */
class LifeKeeperCheckTest {

    @TempDir
    Path dir;

    LifeKeeperCheck check(Map<String, String> env) {
        return new LifeKeeperCheck(() -> env, dir);
    }

    @Test
    void quickCheckIsAnsweredOtherActionsAreNot() {
        LifeKeeperCheck c = check(Map.of());
        assertThat(c.refuse(List.of("--script", "/LK/!quickCheck/hulft-ark-lk", "-t", "hulft"), dir)).isEmpty();
        assertThat(c.refuse(List.of("--script", "/LK/!quickchk/hulft-ark-lk", "-t", "hulft"), dir)).isEmpty();
        for (String action : List.of("restore", "remove", "recover", "deepCheck")) {
            assertThat(c.refuse(List.of("--script", "/LK/!" + action + "/hulft-ark-lk", "-t", "x"), dir))
                    .as(action).hasValue("only quickCheck is answered by the agent");
        }
        // Two actions in one path, two --script options, or the = form: never guessed.
        assertThat(c.refuse(List.of("--script", "/LK/!quickCheck/!restore/s", "-t", "x"), dir)).isPresent();
        assertThat(c.refuse(List.of("--script", "/LK/!quickCheck/s", "--script", "/LK/!restore/s"), dir)).isPresent();
        assertThat(c.refuse(List.of("--script=/LK/!restore/s", "--script", "/LK/!quickCheck/s"), dir)).isPresent();
        assertThat(c.refuse(List.of("-t", "x"), dir)).isPresent();
        assertThat(c.refuse(List.of("--script"), dir)).isPresent();
    }

    @Test
    void aRelativePathInTheConfigurationNeedsTheSameWorkingFolder() throws Exception {
        Path settings = dir.resolve("site.properties");
        Files.writeString(settings, "hulftark.conf-file=etc/hulenv.cnf\n");
        LifeKeeperCheck c = check(Map.of("QUARKUS_CONFIG_LOCATIONS", settings.toString()));
        List<String> args = List.of("--script", "/LK/!quickCheck/s", "-t", "hulft");
        assertThat(c.refuse(args, dir)).isEmpty();
        assertThat(c.refuse(args, dir.resolve("elsewhere")))
                .hasValue("relative path in hulftark.conf-file read from another working folder");
        Files.writeString(settings, "hulftark.conf-file=/etc/hulenv.cnf\n");
        assertThat(c.refuse(args, dir.resolve("elsewhere"))).isEmpty();
    }

    @Test
    void theBoundIsLkhulftTimeoutAndAMargin() throws Exception {
        Path lkroot = dir.resolve("lk");
        Files.createDirectories(lkroot.resolve("etc/default"));
        Files.writeString(lkroot.resolve("etc/default/LifeKeeper"), "LKHULFT_TIMEOUT=7\n");
        assertThat(check(Map.of("LKROOT", lkroot.toString())).bound(List.of()).toSeconds()).isEqualTo(12);
    }
}
