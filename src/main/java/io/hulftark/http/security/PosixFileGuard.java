package io.hulftark.http.security;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Optional;
import java.util.Set;

/**
 * POSIX: a file or folder is safe when no group or other may write it and it belongs to this process's user
 * or root (ssh's rule for its keys). New folders are 0700 and new files 0600, set explicitly after creation so
 * that no umask (000 included) widens them, and created with at most those bits so no moment is wider.
 */
public final class PosixFileGuard implements FileGuard {

    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final int STICKY = 01000;

    private final UserPrincipal self;
    private final Optional<UserPrincipal> root;

    PosixFileGuard(UserPrincipal self, Optional<UserPrincipal> root) {
        this.self = self;
        this.root = root;
    }

    static PosixFileGuard forThisProcess(FileSystem fs) {
        UserPrincipalLookupService users = fs.getUserPrincipalLookupService();
        Optional<UserPrincipal> root;
        try {
            root = Optional.of(users.lookupPrincipalByName("root"));
        } catch (IOException e) {
            root = Optional.empty();
        }
        return new PosixFileGuard(self(fs, users), root);
    }

    /**
     * This process's user: on Linux the owner of /proc/self (its effective uid, also when the uid has no name, as
     * in a container run under an arbitrary uid); elsewhere the user the JVM found at start (getpwuid, not the
     * environment).
     */
    private static UserPrincipal self(FileSystem fs, UserPrincipalLookupService users) {
        Path proc = fs.getPath("/proc/self");
        try {
            if (Files.isDirectory(proc)) {
                return Files.getOwner(proc);
            }
            return users.lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot tell which user this process runs as (user.name "
                    + System.getProperty("user.name") + "): " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> fault(Path path, boolean folder) throws IOException {
        PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class);
        UserPrincipal owner = a.owner();
        if (!owner.equals(self) && !root.map(owner::equals).orElse(false)) {
            return Optional.of(path + " belongs to " + owner.getName() + ", not to " + self.getName()
                    + " (this process's user) or root; make it theirs (chown " + self.getName() + " " + path + ")"
                    + " after checking what it holds");
        }
        Set<PosixFilePermission> p = a.permissions();
        boolean group = p.contains(PosixFilePermission.GROUP_WRITE);
        boolean others = p.contains(PosixFilePermission.OTHERS_WRITE);
        if ((group || others) && !unwritable(path, folder)) {
            String who = group && others ? "its group and all users" : group ? "its group" : "all users";
            return Optional.of(path + " is writable by " + who + " (" + PosixFilePermissions.toString(p) + "); run 'chmod "
                    + (folder ? "go-w" : "600") + " " + path + "'" + (folder ? "" : " after checking what it holds"));
        }
        return Optional.empty();
    }

    /**
     * Write bits that let nobody write: a read-only mount (a Kubernetes Secret's volume), or a folder with the
     * sticky bit (as /tmp): there only a file's owner, the folder's owner (checked above) and root can replace a file.
     */
    private static boolean unwritable(Path path, boolean folder) throws IOException {
        if (Files.getFileStore(path).isReadOnly()) {
            return true;
        }
        try {
            return folder && (((Integer) Files.getAttribute(path, "unix:mode")) & STICKY) != 0;
        } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return false;  // no sticky bit to see: the write bits stand
        }
    }

    @Override
    public void createPrivateFolders(Path folder) throws IOException {
        for (Path p : FileGuard.missingFolders(folder)) {
            try {
                Files.createDirectory(p, PosixFilePermissions.asFileAttribute(FOLDER));
                Files.setPosixFilePermissions(p, FOLDER);  // a umask such as 0277 would leave it unusable
            } catch (FileAlreadyExistsException e) {
                // made meanwhile by someone else: the caller's fault() check decides whether it can be used
            }
        }
    }

    @Override
    public Path createPrivateTempFile(Path folder, String prefix) throws IOException {
        Path tmp = Files.createTempFile(folder, prefix, ".tmp", PosixFilePermissions.asFileAttribute(FILE));
        Files.setPosixFilePermissions(tmp, FILE);
        return tmp;
    }
}
