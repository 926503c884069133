package io.hulftark.http.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The API tokens of the node agent: a text file of {@code NAME ROLE SHA256HEX} lines ({@code #}
 * comments and blank lines allowed) that holds only hashes of the tokens. The file is read again
 * when its size, time or identity changes, so {@code hulft-ark token new} takes effect without a
 * restart.
 * <p>
 * Whoever can write the file can add a token of any role, so it is used only while nobody but its owner can
 * change it or its folder (ssh's rule for its keys, through {@link FileGuard}): otherwise no token of it is
 * accepted, and {@link #fault()} says why in one line. It is written owner-only whatever the umask.
 * <p>
 * Plain SHA-256, not a slow password hash: the tokens are 256 random bits made by {@link #newToken()},
 * so there is nothing to guess by brute force, and a slow hash would only cost every API call time.
 */
public final class TokenStore {

    public static final String PREFIX = "hak_";
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long ACL_RECHECK_NANOS = 5_000_000_000L;

    private final Path file;
    private final Consumer<String> warnings;
    private final FileGuard guard;
    private final boolean posix;
    private volatile Snapshot snapshot = new Snapshot(null, List.of(), Map.of());

    private record Entry(String name, Role role, Optional<ReporterScope> scope, byte[] hash) {
    }

    /**
     * What the file looked like when read: its stat, with who may change it and its folder (a chmod or chown
     * changes neither its time nor its size); null before the first read.
     */
    private record Stamp(boolean exists, Object fileKey, FileTime modified, long size, Object access, Object folderAccess) {
    }

    /** {@code byHash}: the entries by the hex of their hash, the first line of a hash winning. */
    private record Snapshot(Stamp stamp, List<Entry> entries, Map<String, Entry> byHash) {
        Snapshot(Stamp stamp, List<Entry> entries) {
            this(stamp, entries, index(entries));
        }

        private static Map<String, Entry> index(List<Entry> entries) {
            Map<String, Entry> byHash = new HashMap<>();
            entries.forEach(e -> byHash.putIfAbsent(HexFormat.of().formatHex(e.hash()), e));
            return Map.copyOf(byHash);
        }
    }

    public TokenStore(Path file) {
        this(file, System.err::println);
    }

    /** {@code warnings} receives one line per problem with the file; never a token or a hash. */
    public TokenStore(Path file, Consumer<String> warnings) {
        this(file, warnings, FileGuard.of(file.getFileSystem()));
    }

    TokenStore(Path file, Consumer<String> warnings, FileGuard guard) {
        this.file = Objects.requireNonNull(file, "file");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    public Path file() {
        return file;
    }

    /** The caller whose token this is; empty for null, blank or unknown tokens. */
    public Optional<Caller> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        byte[] presented = sha256(token);
        // Looked up by the token's hash, not compared with every line: a fleet view has a token per cluster, and
        // a scan costs each request time in proportion to the fleet. A lookup's timing can only tell an attacker
        // about the SHA-256 of tokens they chose, which gives nothing away about a token they do not know.
        Entry e = current().byHash().get(HexFormat.of().formatHex(presented));
        return e != null && MessageDigest.isEqual(presented, e.hash())
                ? Optional.of(new Caller(e.name(), e.role(), e.scope())) : Optional.empty();
    }

    /**
     * Why the file must not be used, in one line naming the path, the fault and the fix; empty when only its
     * owner can change it and its folder (or when it does not exist and its folder is safe). Links are followed:
     * the folder the link sits in and the folder of the file it names are both checked.
     */
    public Optional<String> fault() {
        Path abs = file.toAbsolutePath();
        try {
            Optional<String> f = Optional.empty();
            Path folder = abs.getParent();
            if (folder != null && Files.exists(folder)) {
                f = guard.fault(folder, true);
            }
            if (f.isEmpty() && Files.exists(abs)) {
                Path real = abs.toRealPath();
                f = guard.fault(real, false);
                if (f.isEmpty() && real.getParent() != null && !real.getParent().equals(folder == null ? null : folder.toRealPath())) {
                    f = guard.fault(real.getParent(), true);
                }
            }
            return f.map(why -> "tokens file " + abs + " refused: " + why);
        } catch (NoSuchFileException e) {
            return Optional.empty();  // gone meanwhile: a missing file is reported as such
        } catch (IOException e) {
            return Optional.of("tokens file " + abs + " refused: cannot tell who may change it (" + e.getMessage() + ")");
        }
    }

    /** @throws InsecureFileException when {@link #fault()} finds one */
    public void requireSafe() {
        fault().ifPresent(why -> {
            throw new InsecureFileException(why);
        });
    }

    /** A secrets file others could change; the message is the one-line reason. */
    public static final class InsecureFileException extends IllegalStateException {
        InsecureFileException(String message) {
            super(message);
        }
    }

    /** How many tokens the file holds now (reads it if it changed). */
    public int size() {
        return current().entries().size();
    }

    /** A new token: "hak_" and 32 random bytes, base64url without padding. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A token's name, and a reporter's cluster and node: an identifier by the wire's rule. */
    public static boolean validName(String name) {
        return io.hulftark.wire.WireText.isId(name);
    }

    /**
     * Adds a line for {@code token} (its hash only). The file is rewritten through a temporary file
     * and a rename, so a reader sees the old or the new file, never half a line. Two processes
     * adding at the same instant may lose one line; tokens are added by hand, one at a time.
     *
     * @throws IllegalArgumentException for an invalid name or one the file already has
     */
    public void add(String name, Role role, String token) {
        add(name, role, Optional.empty(), token);
    }

    /** As {@link #add(String, Role, String)}; a REPORTER needs its scope, the other roles have none. */
    public synchronized void add(String name, Role role, Optional<ReporterScope> scope, String token) {
        if (!validName(name)) {
            throw new IllegalArgumentException("invalid token name '" + shorten(name)
                    + "': use 1 to 64 of the characters A-Z a-z 0-9 . _ @ -");
        }
        Objects.requireNonNull(role, "role");
        if ((role == Role.REPORTER) != scope.isPresent()) {
            throw new IllegalArgumentException("a reporter token needs a cluster (and maybe a node); other roles take none");
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("empty token");
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            guard.createPrivateFolders(dir);
            // Never add to a file, or write into a folder, that someone else could have prepared.
            requireSafe();
            String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : header();
            for (String line : old.lines().toList()) {
                String[] f = line.strip().split("\\s+");
                if (!line.strip().startsWith("#") && f[0].equals(name)) {
                    throw new IllegalArgumentException("a token named '" + name + "' is already in " + file
                            + "; choose another name or remove its line first");
                }
            }
            String line = name + " " + scope.map(ReporterScope::roleField).orElse(role.name().toLowerCase(Locale.ROOT)) + " " + HexFormat.of().formatHex(sha256(token));
            String text = old.isEmpty() || old.endsWith("\n") ? old + line + "\n" : old + "\n" + line + "\n";
            Path tmp = guard.createPrivateTempFile(dir, "." + file.getFileName());
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String header() {
        return "# hulft-ark API tokens: NAME ROLE SHA256-OF-TOKEN, one a line\n"
                + "# (roles: viewer, operator; for the fleet view's agents reporter:CLUSTER or reporter:CLUSTER/NODE).\n"
                + "# Written by 'hulft-ark token new'; the tokens themselves are not kept anywhere.\n";
    }

    private Snapshot current() {
        Stamp stamp = stat();
        Snapshot s = snapshot;
        if (stamp.equals(s.stamp())) {
            return s;
        }
        synchronized (this) {
            if (!stamp.equals(snapshot.stamp())) {
                snapshot = new Snapshot(stamp, read(stamp));
            }
            return snapshot;
        }
    }

    private Stamp stat() {
        Object folderAccess = access(file.toAbsolutePath().getParent());
        try {
            if (posix) {
                PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
                return new Stamp(true, a.fileKey(), a.lastModifiedTime(), a.size(), List.of(a.owner(), a.permissions()), folderAccess);
            }
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(true, a.fileKey(), a.lastModifiedTime(), a.size(), folderAccess, folderAccess);
        } catch (IOException e) {
            return new Stamp(false, null, null, -1, null, folderAccess);
        }
    }

    /**
     * Owner and mode of a folder where they are one stat away; elsewhere (ACLs) a value that changes every
     * few seconds, so a changed ACL is seen that late at most.
     */
    private Object access(Path path) {
        if (!posix) {
            return System.nanoTime() / ACL_RECHECK_NANOS;
        }
        try {
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class);
            return List.of(a.owner(), a.permissions(), a.fileKey());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private List<Entry> read(Stamp stamp) {
        if (!stamp.exists()) {
            warnings.accept("hulft-ark: no tokens file " + file + ": every API call is refused until "
                    + "'hulft-ark token new' makes one");
            return List.of();
        }
        Optional<String> fault = fault();
        if (fault.isPresent()) {
            warnings.accept("hulft-ark: " + fault.get() + "; every API call is refused until it is fixed");
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of(); // gone since the stat; the next call sees it
        } catch (IOException e) {
            warnings.accept("hulft-ark: cannot read tokens file " + file + ": " + e.getMessage()
                    + "; every API call is refused");
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            // The reason names the faulty field, never its value: it may be a hash or a pasted token.
            String problem = f.length != 3 ? "expected NAME ROLE SHA256HEX"
                    : !validName(f[0]) ? "invalid name"
                    : role(f[1]).isEmpty() ? "role is not viewer, operator, reporter:CLUSTER or reporter:CLUSTER/NODE"
                    : !HASH.matcher(f[2]).matches() ? "the hash is not 64 hex digits"
                    : names.contains(f[0]) ? "name " + f[0] + " appears again"
                    : null;
            if (problem != null) {
                warnings.accept("hulft-ark: " + file + " line " + (i + 1) + ": " + problem + "; line skipped");
                continue;
            }
            names.add(f[0]);
            entries.add(new Entry(f[0], role(f[1]).orElseThrow(), ReporterScope.parse(f[1]), HexFormat.of().parseHex(f[2].toLowerCase(Locale.ROOT))));
        }
        return List.copyOf(entries);
    }

    private static Optional<Role> role(String s) {
        return switch (s) {
            case "viewer" -> Optional.of(Role.VIEWER);
            case "operator" -> Optional.of(Role.OPERATOR);
            default -> ReporterScope.parse(s).map(scope -> Role.REPORTER);
        };
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 70 ? s.substring(0, 64) + "..." : s;
    }
}
