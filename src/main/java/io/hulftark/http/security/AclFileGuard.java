package io.hulftark.http.security;

import io.hulftark.platform.windows.WindowsAccounts;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Windows: a file or folder is safe when it belongs to this process's user, SYSTEM or Administrators, and no
 * entry of its ACL lets anyone else write, append, delete, or change its ACL or owner. New folders and files
 * get an ACL of exactly those trusted principals (set as the DACL, so nothing is inherited from the parent).
 * The ACL views come from a function, so tests give in-memory ones.
 */
public final class AclFileGuard implements FileGuard {

    /** What lets a principal change a file. */
    static final Set<AclEntryPermission> WRITES = EnumSet.of(AclEntryPermission.WRITE_DATA,
            AclEntryPermission.APPEND_DATA, AclEntryPermission.DELETE, AclEntryPermission.WRITE_ACL,
            AclEntryPermission.WRITE_OWNER);
    /**
     * What lets a principal replace the files of a folder. Adding files (write_data, append_data on a folder) is
     * not: like a sticky folder, a file there stays its owner's, and one planted by another is refused as theirs.
     * %ProgramData% passes that right to Users, so a folder made under it by an installer has it.
     */
    static final Set<AclEntryPermission> FOLDER_WRITES = EnumSet.of(AclEntryPermission.DELETE,
            AclEntryPermission.DELETE_CHILD, AclEntryPermission.WRITE_ACL, AclEntryPermission.WRITE_OWNER);

    private final Function<Path, AclFileAttributeView> views;
    private final UserPrincipal self;
    /** This process's user first, then SYSTEM and Administrators. */
    private final Set<UserPrincipal> trusted;
    private final boolean aclAtCreation;

    AclFileGuard(Function<Path, AclFileAttributeView> views, UserPrincipal self, List<UserPrincipal> alsoTrusted,
                 boolean aclAtCreation) {
        this.views = views;
        this.self = self;
        this.trusted = new LinkedHashSet<>();
        this.trusted.add(self);
        this.trusted.addAll(alsoTrusted);
        this.aclAtCreation = aclAtCreation;
    }

    static AclFileGuard forThisProcess(FileSystem fs) {
        try {
            var users = fs.getUserPrincipalLookupService();
            UserPrincipal self = users.lookupPrincipalByName(System.getProperty("user.name"));
            List<UserPrincipal> also = new ArrayList<>();
            for (String name : WindowsAccounts.systemAndAdministrators()) {
                also.add(users.lookupPrincipalByName(name));
            }
            return new AclFileGuard(p -> Files.getFileAttributeView(p, AclFileAttributeView.class), self, also, true);
        } catch (IOException e) {
            throw new IllegalStateException("cannot tell who this process runs as (user " + System.getProperty("user.name")
                    + "): " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> fault(Path path, boolean folder) throws IOException {
        AclFileAttributeView view = views.apply(path);
        UserPrincipal owner = view.getOwner();
        if (!trusted.contains(owner)) {
            return Optional.of(path + " belongs to " + owner.getName() + ", not to " + self.getName()
                    + " (this process's user), SYSTEM or Administrators; make it theirs (icacls \"" + path
                    + "\" /setowner \"" + self.getName() + "\") after checking what it holds");
        }
        for (AclEntry e : view.getAcl()) {
            if (e.type() != AclEntryType.ALLOW || e.flags().contains(AclEntryFlag.INHERIT_ONLY)
                    || trusted.contains(e.principal())) {
                continue;
            }
            Set<AclEntryPermission> granted = EnumSet.noneOf(AclEntryPermission.class);
            granted.addAll(e.permissions());
            granted.retainAll(folder ? FOLDER_WRITES : WRITES);
            if (!granted.isEmpty()) {
                return Optional.of(path + " lets " + e.principal().getName() + " change it ("
                        + granted.stream().map(p -> p.name().toLowerCase(java.util.Locale.ROOT)).sorted()
                        .collect(Collectors.joining(", ")) + "); remove that entry (icacls \"" + path
                        + "\" /inheritance:d /remove:g \"" + e.principal().getName() + "\")");
            }
        }
        return Optional.empty();
    }

    /** Full control for each trusted principal; a folder's entries are inherited by what is made in it. */
    List<AclEntry> ownerOnly(boolean folder) {
        Set<AclEntryFlag> flags = folder ? EnumSet.of(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT)
                : EnumSet.noneOf(AclEntryFlag.class);
        List<AclEntry> acl = new ArrayList<>();
        for (UserPrincipal p : trusted) {
            acl.add(AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(p)
                    .setPermissions(EnumSet.allOf(AclEntryPermission.class)).setFlags(flags).build());
        }
        return acl;
    }

    @Override
    public void createPrivateFolders(Path folder) throws IOException {
        for (Path p : FileGuard.missingFolders(folder)) {
            try {
                Files.createDirectory(p, creation(true));
                // setAcl writes the DACL as given: entries the parent would pass on are not merged in.
                views.apply(p).setAcl(ownerOnly(true));
            } catch (FileAlreadyExistsException e) {
                // made meanwhile by someone else: the caller's fault() check decides whether it can be used
            }
        }
    }

    @Override
    public Path createPrivateTempFile(Path folder, String prefix) throws IOException {
        Path tmp = Files.createTempFile(folder, prefix, ".tmp", creation(false));
        views.apply(tmp).setAcl(ownerOnly(false));
        return tmp;
    }

    private FileAttribute<?>[] creation(boolean folder) {
        if (!aclAtCreation) {
            return new FileAttribute<?>[0];
        }
        List<AclEntry> acl = ownerOnly(folder);
        return new FileAttribute<?>[] {new FileAttribute<List<AclEntry>>() {
            @Override
            public String name() {
                return "acl:acl";
            }

            @Override
            public List<AclEntry> value() {
                return acl;
            }
        }};
    }
}
