package io.hulftark.http.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Windows rule on in-memory ACL views: what Windows would answer for each file, as named cases. */
class AclFileGuardTest {

    record Principal(String getName) implements UserPrincipal {
    }

    static final Principal ME = new Principal("HOST\\svc-hulft");
    static final Principal SYSTEM = new Principal("NT AUTHORITY\\SYSTEM");
    static final Principal ADMINS = new Principal("BUILTIN\\Administrators");
    static final Principal USERS = new Principal("BUILTIN\\Users");
    static final Principal EVE = new Principal("HOST\\eve");

    /** An ACL view kept in memory, per path. */
    static final class FakeView implements AclFileAttributeView {
        UserPrincipal owner = ME;
        List<AclEntry> acl = List.of();

        @Override
        public String name() {
            return "acl";
        }

        @Override
        public List<AclEntry> getAcl() {
            return acl;
        }

        @Override
        public void setAcl(List<AclEntry> acl) {
            this.acl = List.copyOf(acl);
        }

        @Override
        public UserPrincipal getOwner() {
            return owner;
        }

        @Override
        public void setOwner(UserPrincipal owner) {
            this.owner = owner;
        }
    }

    final Map<Path, FakeView> views = new HashMap<>();
    final AclFileGuard guard = new AclFileGuard(p -> views.computeIfAbsent(p.toAbsolutePath(), k -> new FakeView()),
            ME, List.of(SYSTEM, ADMINS), false);
    final Path file = Path.of("C:/ProgramData/hulft-ark/tokens").toAbsolutePath();

    @TempDir
    Path dir;

    static AclEntry allow(UserPrincipal who, AclEntryPermission... permissions) {
        return AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(who)
                .setPermissions(permissions.length == 0 ? EnumSet.noneOf(AclEntryPermission.class) : EnumSet.of(permissions[0], permissions))
                .build();
    }

    FakeView view(Path p) {
        return views.computeIfAbsent(p.toAbsolutePath(), k -> new FakeView());
    }

    @Test
    void ownerSystemAndAdministratorsMayWriteOthersMayRead() throws IOException {
        view(file).acl = List.of(allow(ME, AclEntryPermission.WRITE_DATA), allow(SYSTEM, AclEntryPermission.WRITE_DATA),
                allow(ADMINS, AclEntryPermission.WRITE_OWNER), allow(USERS, AclEntryPermission.READ_DATA,
                        AclEntryPermission.READ_ATTRIBUTES, AclEntryPermission.SYNCHRONIZE));
        assertThat(guard.fault(file, false)).isEmpty();
    }

    @Test
    void anyWriteLikeRightOfAnotherPrincipalIsRefused() throws IOException {
        for (AclEntryPermission p : AclFileGuard.WRITES) {
            view(file).acl = List.of(allow(ME, AclEntryPermission.WRITE_DATA), allow(USERS, p));
            assertThat(guard.fault(file, false)).as(p.name()).hasValueSatisfying(why -> assertThat(why)
                    .contains(file + " lets BUILTIN\\Users change it (" + p.name().toLowerCase() + ")")
                    .contains("icacls \"" + file + "\" /inheritance:d /remove:g \"BUILTIN\\Users\""));
        }
    }

    @Test
    void aFolderWhereOthersMayOnlyAddFilesIsAcceptedOneWhereTheyMayDeleteIsNot() throws IOException {
        Path folder = file.getParent();
        // %ProgramData%'s inheritance: Users may create files and folders, read and list.
        view(folder).acl = List.of(allow(USERS, AclEntryPermission.WRITE_DATA, AclEntryPermission.APPEND_DATA,
                AclEntryPermission.READ_DATA, AclEntryPermission.EXECUTE));
        assertThat(guard.fault(folder, true)).isEmpty();
        for (AclEntryPermission p : AclFileGuard.FOLDER_WRITES) {
            view(folder).acl = List.of(allow(USERS, AclEntryPermission.WRITE_DATA, p));
            assertThat(guard.fault(folder, true)).as(p.name()).hasValueSatisfying(why -> assertThat(why)
                    .contains(folder + " lets BUILTIN\\Users change it (" + p.name().toLowerCase() + ")"));
        }
    }

    @Test
    void denyEntriesAndEntriesOnlyForChildrenDoNotCount() throws IOException {
        AclEntry deny = AclEntry.newBuilder().setType(AclEntryType.DENY).setPrincipal(EVE)
                .setPermissions(AclEntryPermission.WRITE_DATA).build();
        AclEntry inheritOnly = AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(new Principal("CREATOR OWNER"))
                .setPermissions(AclEntryPermission.WRITE_DATA).setFlags(AclEntryFlag.INHERIT_ONLY, AclEntryFlag.FILE_INHERIT).build();
        view(file).acl = List.of(deny, inheritOnly);
        assertThat(guard.fault(file, true)).isEmpty();
    }

    @Test
    void aFileOfAnotherUserIsRefusedOneOfAdministratorsIsNot() throws IOException {
        view(file).owner = EVE;
        assertThat(guard.fault(file, false)).hasValueSatisfying(why -> assertThat(why)
                .contains("belongs to HOST\\eve, not to HOST\\svc-hulft (this process's user), SYSTEM or Administrators")
                .contains("/setowner"));
        view(file).owner = ADMINS;
        assertThat(guard.fault(file, false)).isEmpty();
    }

    @Test
    void newFoldersAndFilesGetAnAclOfTheTrustedPrincipalsOnly() throws IOException {
        Path folder = dir.resolve("state/sub");
        guard.createPrivateFolders(folder);
        for (Path p : List.of(dir.resolve("state"), folder)) {
            assertThat(view(p).acl).extracting(AclEntry::principal).containsExactly(ME, SYSTEM, ADMINS);
            assertThat(view(p).acl).allSatisfy(e -> assertThat(e.flags())
                    .containsExactlyInAnyOrder(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT));
            assertThat(guard.fault(p, true)).isEmpty();
        }
        assertThat(views).doesNotContainKey(dir.toAbsolutePath()).as("an existing folder is left alone");
        Path tmp = guard.createPrivateTempFile(folder, ".tokens");
        assertThat(Files.exists(tmp)).isTrue();
        assertThat(view(tmp).acl).extracting(AclEntry::principal).containsExactly(ME, SYSTEM, ADMINS);
        assertThat(view(tmp).acl.get(0).permissions()).isEqualTo(Set.copyOf(EnumSet.allOf(AclEntryPermission.class)));
    }

    @Test
    void theTokenStoreUsesTheAclRule() throws IOException {
        Path tokens = dir.resolve("tokens");
        TokenStore store = new TokenStore(tokens, line -> { }, guard);
        String token = TokenStore.newToken();
        store.add("ops", Role.OPERATOR, token);
        assertThat(store.fault()).isEmpty();
        view(tokens).acl = List.of(allow(EVE, AclEntryPermission.APPEND_DATA));
        assertThat(new TokenStore(tokens, line -> { }, guard).authenticate(token)).isEmpty();
        assertThat(new TokenStore(tokens, line -> { }, guard).fault()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("tokens file " + tokens.toAbsolutePath() + " refused: ").contains("HOST\\eve"));
    }
}
