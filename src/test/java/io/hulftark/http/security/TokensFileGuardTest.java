package io.hulftark.http.security;

import io.hulftark.http.security.PosixFileGuard;
import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;
import io.hulftark.http.security.TokensFile;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tokens file as ssh treats its keys, on this machine's real POSIX file system: a file or folder that
 * others may write, or that another user owns, is refused with one line naming the path, the fault and the fix,
 * and no token of it is accepted; what the store writes is owner-only.
 */
class TokensFileGuardTest {

    @TempDir
    Path dir;

    final List<String> warnings = new ArrayList<>();
    Path folder;
    Path file;
    String token;

    @BeforeEach
    void aGoodFile() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        folder = dir.resolve("state");
        file = folder.resolve("tokens");
        token = TokenStore.newToken();
        new TokenStore(file, warnings::add).add("ops", Role.OPERATOR, token);
        warnings.clear();
    }

    private String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewFolderIsOwnerOnlyAndTheFileReadWriteForItsOwner() throws IOException {
        assertThat(mode(folder)).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(new TokenStore(file).fault()).isEmpty();
    }

    @Test
    void missingParentsAreMadeOwnerOnlyToo() throws IOException {
        Path deep = dir.resolve("a/b/tokens");
        new TokenStore(deep).add("ops", Role.OPERATOR, TokenStore.newToken());
        assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("a/b"))).isEqualTo("rwx------");
    }

    @Test
    void anExistingReadableFolderIsKeptAsItIs() throws IOException {
        // 0755, what the default umask made before: others can read the hashes but change nothing (ssh allows it).
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        new TokenStore(file).add("two", Role.VIEWER, TokenStore.newToken());
        assertThat(mode(folder)).isEqualTo("rwxr-xr-x");
        assertThat(new TokenStore(file).authenticate(token)).isPresent();
    }

    @Test
    void aFileOthersMayWriteIsRefusedAndNoneOfItsTokensAccepted() throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        TokenStore store = new TokenStore(file, warnings::add);

        assertThat(store.authenticate(token)).isEmpty();
        assertThat(store.fault()).hasValueSatisfying(why -> assertThat(why)
                .isEqualTo("tokens file " + file + " refused: " + file + " is writable by its group and all users"
                        + " (rw-rw-rw-); run 'chmod 600 " + file + "' after checking what it holds"));
        assertThat(warnings).hasSize(1).allMatch(w -> w.contains("chmod 600") && !w.contains("\n"));
        assertThatThrownBy(store::requireSafe).isInstanceOf(TokenStore.InsecureFileException.class)
                .hasMessageContaining("writable by");
    }

    @Test
    void aGroupWritableFileIsRefusedToo() throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        assertThat(new TokenStore(file).fault()).hasValueSatisfying(why -> assertThat(why).contains("writable by its group"));
    }

    @Test
    void aFolderOthersMayWriteIsRefused() throws IOException {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        TokenStore store = new TokenStore(file, warnings::add);

        assertThat(store.authenticate(token)).isEmpty();
        assertThat(store.fault()).hasValueSatisfying(why -> assertThat(why)
                .contains(folder + " is writable by its group and all users (rwxrwxrwx); run 'chmod go-w " + folder + "'"));
        // Nor is anything written into it: another user could have prepared the file or swap it afterwards.
        assertThatThrownBy(() -> store.add("more", Role.VIEWER, TokenStore.newToken()))
                .isInstanceOf(TokenStore.InsecureFileException.class);
    }

    @Test
    void aStickyFolderAsTmpIsAcceptedForAFileOfItsOwn() throws Exception {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(new ProcessBuilder("chmod", "1777", folder.toString()).start().waitFor()).isZero();
        // Others may add files there but not rename or delete ours: the file stays the one its owner wrote.
        assertThat(new TokenStore(file).fault()).isEmpty();
        assertThat(new TokenStore(file).authenticate(token)).isPresent();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(new TokenStore(file).fault()).isPresent();
    }

    @Test
    void aFileOfAnotherUserIsRefused() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(file, nobody);
        TokenStore store = new TokenStore(file, warnings::add);

        assertThat(store.authenticate(token)).isEmpty();
        assertThat(store.fault()).hasValueSatisfying(why -> assertThat(why)
                .contains(file + " belongs to nobody, not to root (this process's user) or root; make it theirs (chown root " + file + ")"));
        assertThatThrownBy(() -> store.add("more", Role.VIEWER, TokenStore.newToken()))
                .isInstanceOf(TokenStore.InsecureFileException.class).hasMessageContaining("belongs to nobody");
    }

    @Test
    void aFileOfRootIsAcceptedForAnotherUser() throws IOException {
        UserPrincipal self = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        UserPrincipal root = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root");
        PosixFileGuard guard = new PosixFileGuard(self, java.util.Optional.of(root));
        assumeTrue(Files.getOwner(file).equals(root), "the test runs as root");
        assertThat(guard.fault(file, false)).isEmpty();
        assertThat(new PosixFileGuard(self, java.util.Optional.empty()).fault(file, false))
                .hasValueSatisfying(why -> assertThat(why).contains("belongs to root, not to nobody"));
    }

    @Test
    void aLinkToAFileOthersMayWriteIsRefused() throws IOException {
        Path elsewhere = dir.resolve("open");
        Files.createDirectory(elsewhere);
        Path target = elsewhere.resolve("tokens");
        Files.copy(file, target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path link = folder.resolve("linked");
        Files.createSymbolicLink(link, target);

        assertThat(new TokenStore(link).authenticate(token)).isEmpty();
        assertThat(new TokenStore(link).fault()).hasValueSatisfying(why -> assertThat(why).contains(target + " is writable"));

        // A safe file in a folder others may write, reached through a link from a safe folder: refused too.
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(new TokenStore(link).fault()).hasValueSatisfying(why -> assertThat(why).contains(elsewhere + " is writable"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
        assertThat(new TokenStore(link).authenticate(token)).isPresent();
    }

    @Test
    void aRunningStoreNoticesAChmodAndAcceptsTokensAgainOnceFixed() throws IOException {
        TokenStore store = new TokenStore(file, warnings::add);
        assertThat(store.authenticate(token)).isPresent();

        // A chmod changes neither the file's time nor its size; the store still sees it.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(store.authenticate(token)).isEmpty();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(store.authenticate(token)).isEmpty();
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        assertThat(store.authenticate(token)).isPresent();
        assertThat(warnings).hasSize(2);
    }

    @Test
    void anInsecureFileIsRefusedBeforeAServerStarts() throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--rw-"));
        assertThatThrownBy(() -> TokensFile.requireSafe(file)).isInstanceOf(TokenStore.InsecureFileException.class)
                .hasMessage("tokens file " + file + " refused: " + file + " is writable by all users (rw-r--rw-); run 'chmod 600 "
                        + file + "' after checking what it holds");
        Files.delete(file);
        TokensFile.requireSafe(file);  // missing: the store reports it, the server starts and refuses every call
    }
}
