package io.hulftark.http.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TokenStoreTest {

    @TempDir
    Path dir;

    final List<String> warnings = new ArrayList<>();

    TokenStore store(Path file) {
        return new TokenStore(file, warnings::add);
    }

    @Test
    void addedTokenAuthenticatesWithItsNameAndRole() {
        TokenStore store = store(dir.resolve("sub/tokens"));
        String viewer = TokenStore.newToken();
        String operator = TokenStore.newToken();
        store.add("alice", Role.VIEWER, viewer);
        store.add("ops@site-1", Role.OPERATOR, operator);

        assertThat(store.authenticate(viewer)).contains(new Caller("alice", Role.VIEWER));
        assertThat(store.authenticate(operator)).contains(new Caller("ops@site-1", Role.OPERATOR));
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void theFileHoldsTheHashNotTheToken() throws IOException {
        Path file = dir.resolve("tokens");
        String token = TokenStore.newToken();
        store(file).add("alice", Role.VIEWER, token);

        String text = Files.readString(file);
        assertThat(text).doesNotContain(token).contains("alice viewer " + HexFormat.of().formatHex(TokenStore.sha256(token)));
    }

    @Test
    void wrongBlankOrNullTokensAreRefused() {
        TokenStore store = store(dir.resolve("tokens"));
        String token = TokenStore.newToken();
        store.add("alice", Role.OPERATOR, token);

        assertThat(store.authenticate(token + "x")).isEmpty();
        assertThat(store.authenticate(TokenStore.newToken())).isEmpty();
        assertThat(store.authenticate("")).isEmpty();
        assertThat(store.authenticate(null)).isEmpty();
    }

    @Test
    void newTokensAreLongRandomAndUrlSafe() {
        String a = TokenStore.newToken();
        assertThat(a).matches("hak_[A-Za-z0-9_-]{43}").isNotEqualTo(TokenStore.newToken());
    }

    @Test
    void aChangedFileIsReadAgainWithoutANewStore() throws IOException {
        Path file = dir.resolve("tokens");
        TokenStore agent = store(file);
        assertThat(agent.size()).isZero();

        String token = TokenStore.newToken();
        store(file).add("bob", Role.VIEWER, token); // another process, as 'hulft-ark token new' is
        assertThat(agent.authenticate(token)).contains(new Caller("bob", Role.VIEWER));

        Files.writeString(file, "# bob removed by hand\n");
        assertThat(agent.authenticate(token)).isEmpty();
    }

    @Test
    void garbledLinesAreSkippedWithOneWarningEachThatShowsNoHash() throws IOException {
        Path file = dir.resolve("tokens");
        String token = TokenStore.newToken();
        String hash = HexFormat.of().formatHex(TokenStore.sha256(token));
        String other = HexFormat.of().formatHex(TokenStore.sha256("x"));
        Files.writeString(file, String.join("\n",
                "# comment",
                "",
                "alice viewer " + hash,
                "bob admin " + other,              // line 4: bad role
                "carol operator " + other + " x",   // line 5: four fields
                "dave operator abc" + other,        // line 6: bad hash
                "bad/name viewer " + other,         // line 7: bad name
                "alice operator " + other,          // line 8: name again
                ""));
        TokenStore store = store(file);

        assertThat(store.authenticate(token)).contains(new Caller("alice", Role.VIEWER));
        assertThat(store.size()).isEqualTo(1);
        assertThat(warnings).hasSize(5);
        assertThat(warnings.get(0)).contains(file.toString(), "line 4");
        assertThat(warnings).extracting(w -> w.replaceAll(".* line (\\d+).*", "$1")).containsExactly("4", "5", "6", "7", "8");
        assertThat(String.join("\n", warnings)).doesNotContain(hash).doesNotContain(other).doesNotContain("admin");

        store.authenticate(token);
        assertThat(warnings).as("an unchanged file is not read, nor warned about, again").hasSize(5);
    }

    @Test
    void aMissingFileMeansNoTokensAndOneWarning() {
        TokenStore store = store(dir.resolve("nowhere/tokens"));
        assertThat(store.authenticate(TokenStore.newToken())).isEmpty();
        assertThat(store.authenticate(TokenStore.newToken())).isEmpty();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("no tokens file", "token new");
    }

    @Test
    void invalidNamesAreRefused() {
        TokenStore store = store(dir.resolve("tokens"));
        for (String name : new String[] {"", "a b", "a/b", "x".repeat(65), "ümlaut"}) {
            assertThatThrownBy(() -> store.add(name, Role.VIEWER, TokenStore.newToken()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid token name")
                    .hasMessageNotContaining("\n");
        }
        assertThat(Files.exists(dir.resolve("tokens"))).isFalse();
    }

    @Test
    void aNameCannotBeAddedTwice() throws IOException {
        Path file = dir.resolve("tokens");
        TokenStore store = store(file);
        store.add("alice", Role.VIEWER, TokenStore.newToken());
        String before = Files.readString(file);

        assertThatThrownBy(() -> store.add("alice", Role.OPERATOR, TokenStore.newToken()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'alice' is already in " + file)
                .hasMessageNotContaining("\n");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void addKeepsCommentsAndLinesWrittenByHand() throws IOException {
        Path file = dir.resolve("tokens");
        String hash = HexFormat.of().formatHex(TokenStore.sha256("t"));
        Files.writeString(file, "# mine\nold viewer " + hash); // no final newline
        store(file).add("new", Role.OPERATOR, "u");

        assertThat(Files.readAllLines(file)).hasSize(3).startsWith("# mine", "old viewer " + hash);
        assertThat(store(file).authenticate("t")).isPresent();
        assertThat(store(file).authenticate("u")).isPresent();
    }

    @Test
    void theFileIsReadableByItsOwnerOnly() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("state/tokens");
        store(file).add("alice", Role.VIEWER, TokenStore.newToken());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var left = Files.list(file.getParent())) {
            assertThat(left).as("no temporary file is left behind").containsExactly(file);
        }
    }

    @Test
    void aReporterLineCarriesItsScope() throws IOException {
        Path file = dir.resolve("tokens");
        String token = TokenStore.newToken();
        Files.writeString(file, "a1 reporter:c1/node-a " + HexFormat.of().formatHex(TokenStore.sha256(token)) + "\n"
                + "bad1 reporter: " + "0".repeat(64) + "\n"
                + "bad2 reporter:c1/n/x " + "0".repeat(64) + "\n");
        TokenStore store = store(file);
        assertThat(store.authenticate(token)).contains(new Caller("a1", Role.REPORTER,
                java.util.Optional.of(new ReporterScope("c1", java.util.Optional.of("node-a")))));
        assertThat(store.size()).isEqualTo(1);
        assertThat(warnings).hasSize(2).allMatch(w -> w.contains("role is not viewer, operator, reporter:CLUSTER"));
    }

    @Test
    void aScopePermitsItsClusterAndNodeOnly() {
        ReporterScope cluster = ReporterScope.parse("reporter:c1").orElseThrow();
        ReporterScope node = ReporterScope.parse("reporter:c1/a").orElseThrow();
        assertThat(cluster.permits("c1", "a")).isTrue();
        assertThat(cluster.permits("c1", "b")).isTrue();
        assertThat(cluster.permits("c2", "a")).isFalse();
        assertThat(node.permits("c1", "a")).isTrue();
        assertThat(node.permits("c1", "b")).isFalse();
        assertThat(Role.REPORTER.allows(Role.VIEWER)).isFalse();
        assertThat(Role.OPERATOR.allows(Role.REPORTER)).isFalse();
    }
}
