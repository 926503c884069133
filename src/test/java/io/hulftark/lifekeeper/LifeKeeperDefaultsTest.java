package io.hulftark.lifekeeper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LifeKeeperDefaultsTest {

    @TempDir
    Path dir;

    @Test
    void valuesAreReadAndTheLastAssignmentWins() {
        LifeKeeperDefaults d = LifeKeeperDefaults.parse("""
                # LifeKeeper defaults
                LKHULFT_TIMEOUT=120
                LKHULFT_RETRIES = 5
                export LKHULFT_FORCE_REMOVE="0"
                LKHULFT_TIMEOUT=60\r
                OTHER=whatever
                """, "LifeKeeper");
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.retries()).isEqualTo(5);
        assertThat(d.forceRemove()).isFalse();
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void aMissingValueKeepsItsDefault() {
        LifeKeeperDefaults d = LifeKeeperDefaults.parse("LKHULFT_RETRIES=0\n", "LifeKeeper");
        assertThat(d.retries()).isZero();
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(d.forceRemove()).isTrue();
    }

    @Test
    void badValuesFallBackToTheDefaultWithOneWarningEach() {
        LifeKeeperDefaults d = LifeKeeperDefaults.parse("""
                LKHULFT_TIMEOUT=5m
                LKHULFT_RETRIES=-1
                LKHULFT_FORCE_REMOVE=yes
                """, "LK");
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(d.retries()).isEqualTo(2);
        assertThat(d.forceRemove()).isTrue();
        assertThat(d.warnings()).containsExactly(
                "LK line 1: LKHULFT_TIMEOUT=\"5m\" is not seconds from 1 to 86400; using 300",
                "LK line 2: LKHULFT_RETRIES=\"-1\" is not a whole number from 0 to 100; using 2",
                "LK line 3: LKHULFT_FORCE_REMOVE=\"yes\" is not 0 or 1; using 1");
    }

    @Test
    void aHostileValueIsShownShortAndWithoutControlCharacters() {
        LifeKeeperDefaults d = LifeKeeperDefaults.parse("LKHULFT_TIMEOUT=" + "\u001b[31m".repeat(30) + "\n", "LK");
        assertThat(d.warnings()).singleElement().satisfies(w -> {
            assertThat(w).doesNotContain("\u001b").contains("...");
            assertThat(w.length()).isLessThan(140);
        });
    }

    @Test
    void aFileWithJapaneseCommentsIsRead() throws IOException {
        Path file = LifeKeeperDefaults.file(dir);
        Files.createDirectories(file.getParent());
        Files.write(file, "# タイムアウト値\nLKHULFT_TIMEOUT=30\n".getBytes(Charset.forName("MS932")));
        assertThat(LifeKeeperDefaults.read(file).timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aMissingFileGivesTheDefaultsAndSaysSo() {
        LifeKeeperDefaults d = LifeKeeperDefaults.read(dir.resolve("nope"));
        assertThat(d.retries()).isEqualTo(2);
        assertThat(d.warnings()).singleElement().asString().contains("does not exist");
    }
}
