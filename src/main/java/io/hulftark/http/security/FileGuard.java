package io.hulftark.http.security;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operating system's half of guarding a secrets file, the way ssh guards its keys: who besides this
 * process's user could change a file or a folder, and how to make files and folders only this user can
 * touch, whatever the umask. POSIX permissions ({@link PosixFileGuard}) or Windows ACLs ({@link AclFileGuard}).
 */
public interface FileGuard {

    /**
     * Why someone other than this process's user (root and SYSTEM/Administrators aside) could change
     * {@code path}, following links, in one phrase that names the path and the fix; empty when nobody can.
     */
    Optional<String> fault(Path path, boolean folder) throws IOException;

    /** Creates the folder and any missing parent with access for this user only; an existing one stays as it is. */
    void createPrivateFolders(Path folder) throws IOException;

    /** A new empty file in {@code folder} that only this user can read or write from the moment it exists. */
    Path createPrivateTempFile(Path folder, String prefix) throws IOException;

    /** The folder and its parents that do not exist yet, outermost first: each is created private in turn. */
    static List<Path> missingFolders(Path folder) {
        List<Path> missing = new ArrayList<>();
        for (Path p = folder.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        return missing;
    }

    /** POSIX permissions where the file system has them, else ACLs (Windows), else nothing to check. */
    static FileGuard of(FileSystem fs) {
        try {
            if (fs.supportedFileAttributeViews().contains("posix")) {
                return PosixFileGuard.forThisProcess(fs);
            }
            if (fs.supportedFileAttributeViews().contains("acl")) {
                return AclFileGuard.forThisProcess(fs);
            }
        } catch (IllegalStateException | LinkageError e) {
            return new Undecidable(e.getMessage());
        }
        return Unguarded.INSTANCE;
    }

    /** Who this process is cannot be told: every file is refused with that reason (closed, not open). */
    record Undecidable(String reason) implements FileGuard {
        @Override
        public Optional<String> fault(Path path, boolean folder) {
            return Optional.of(reason + "; so nobody can be told apart from the owner of " + path);
        }

        @Override
        public void createPrivateFolders(Path folder) throws IOException {
            throw new IOException(reason);
        }

        @Override
        public Path createPrivateTempFile(Path folder, String prefix) throws IOException {
            throw new IOException(reason);
        }
    }

    /** A file system with neither (FAT, some network shares): nothing to check, nothing to set. */
    enum Unguarded implements FileGuard {
        INSTANCE;

        @Override
        public Optional<String> fault(Path path, boolean folder) {
            return Optional.empty();
        }

        @Override
        public void createPrivateFolders(Path folder) throws IOException {
            java.nio.file.Files.createDirectories(folder);
        }

        @Override
        public Path createPrivateTempFile(Path folder, String prefix) throws IOException {
            return java.nio.file.Files.createTempFile(folder, prefix, ".tmp");
        }
    }
}
