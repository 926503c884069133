package io.hulftark.hulft;

import io.hulftark.hulft.HulEnvException.Kind;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads {@code hulenv.cnf} and never guesses wrong: a setting we need is either read exactly or
 * the whole file is refused with a one-line reason naming the file and the line.
 *
 * <p>Format: {@code key=value} lines, blanks (spaces, tabs) allowed around key, {@code =} and value;
 * blank lines; comment lines whose first non-blank character is {@code #}; LF or CRLF; an optional
 * UTF-8 byte order mark. Keys are case-insensitive. Lines are handled as bytes, one at a time,
 * because comments may be Shift_JIS (CP932) or UTF-8 and no single charset decodes every file.
 *
 * <ul>
 *   <li>The port keys of {@link HulEnv#PORT_KEYS} take decimal digits only, 1-65535. A key that is
 *       absent, or present with an empty value ({@code rcvport=}), is <em>not set</em> and is left out of
 *       {@link HulEnv#ports()}: the original kit does not check such a port either.</li>
 *   <li>{@code myhostname} is the trimmed value; present but empty means not set.</li>
 *   <li>The same key twice with the same meaning is fine; with different meanings it is INVALID.</li>
 *   <li>Every other key is ignored, and so is its value, which may legitimately hold a Japanese path.
 *       The first word of every non-comment line must still be printable ASCII, since a garbled
 *       key could be one of ours.</li>
 * </ul>
 */
public final class HulEnvReader {

    /** Real hulenv.cnf files are a few KiB; anything near this size is not one. */
    static final int MAX_BYTES = 1024 * 1024;

    private static final String MY_HOST_NAME = "myhostname";
    private static final int MAX_SHOWN = 40;

    private HulEnvReader() {
    }

    public static HulEnv read(Path file) throws HulEnvException {
        return parse(readBytes(file), file.toString());
    }

    /**
     * The whole file's bytes, by the same rules as {@link #read} (a plain file of at most 1 MiB): the agent's facts
     * digest exactly what HULFT reads.
     */
    public static byte[] readBytes(Path file) throws HulEnvException {
        String name = file.toString();
        byte[] bytes;
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (attrs.isDirectory()) {
                throw unreadable(name, "is a directory, not a file");
            }
            // A FIFO or device could block the read or never end: only plain files are read.
            if (!attrs.isRegularFile()) {
                throw unreadable(name, "is not a regular file");
            }
            if (attrs.size() > MAX_BYTES) {
                throw tooLarge(name, attrs.size());
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1); // the file may have grown since its size was taken
            }
        } catch (NoSuchFileException e) {
            throw unreadable(name, "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(name, "access denied");
        } catch (IOException e) {
            throw unreadable(name, "cannot be read: " + oneLine(e));
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(name, bytes.length);
        }
        return bytes;
    }

    public static HulEnv parse(byte[] bytes, String sourceName) throws HulEnvException {
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(sourceName, bytes.length);
        }
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            throw new HulEnvException(Kind.INVALID, sourceName + ": is UTF-16; expected ASCII, Shift_JIS or UTF-8");
        }
        boolean bom = bytes.length >= 3
                && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
        Map<String, Setting> seen = new HashMap<>();
        int lineNo = 0;
        for (int pos = bom ? 3 : 0; pos < bytes.length; ) {
            int end = pos;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNo++;
            int to = end > pos && bytes[end - 1] == '\r' ? end - 1 : end;
            Setting s = readLine(sourceName, lineNo, bytes, pos, to);
            if (s != null) {
                remember(sourceName, seen, s);
            }
            pos = end + 1;
        }
        return toHulEnv(seen);
    }

    /** One of our keys as found on one line; {@code port} is set for port keys with a value. */
    private record Setting(int line, String key, String writtenKey, String value, Integer port) {
        boolean sameMeaning(Setting other) {
            return key.equals(MY_HOST_NAME) ? value.equalsIgnoreCase(other.value) : Objects.equals(port, other.port);
        }
    }

    /** The setting on bytes [from, to), or null when the line is blank, a comment or not ours. */
    private static Setting readLine(String source, int lineNo, byte[] b, int from, int to) throws HulEnvException {
        int i = skipBlanks(b, from, to);
        if (i == to || b[i] == '#') {
            return null;
        }
        int wordEnd = i;
        while (wordEnd < to && !isBlank(b[wordEnd]) && b[wordEnd] != '=') {
            wordEnd++;
        }
        int bad = firstNonPrintable(b, i, wordEnd);
        if (bad >= 0) {
            throw invalid(source, lineNo,
                    String.format("the key contains a byte that is not printable ASCII (0x%02X)", b[bad] & 0xFF));
        }
        String word = ascii(b, i, wordEnd);
        String key = word.toLowerCase(Locale.ROOT);
        if (!HulEnv.PORT_KEYS.contains(key) && !key.equals(MY_HOST_NAME)) {
            return null;
        }
        int eq = skipBlanks(b, wordEnd, to);
        if (eq == to || b[eq] != '=') {
            throw invalid(source, lineNo, word + " is not followed by '='");
        }
        int vFrom = skipBlanks(b, eq + 1, to);
        int vTo = to;
        while (vTo > vFrom && isBlank(b[vTo - 1])) {
            vTo--;
        }
        bad = firstNonPrintable(b, vFrom, vTo);
        if (bad >= 0) {
            throw invalid(source, lineNo, String.format(
                    "%s has a byte that is not printable ASCII in its value (0x%02X)", word, b[bad] & 0xFF));
        }
        String value = ascii(b, vFrom, vTo);
        if (key.equals(MY_HOST_NAME)) {
            if (value.chars().anyMatch(c -> c == ' ' || c == '\t' || c == '#')) {
                throw invalid(source, lineNo, word + " = " + quoted(value) + " is not a host name");
            }
            return new Setting(lineNo, key, word, value, null);
        }
        return new Setting(lineNo, key, word, value, value.isEmpty() ? null : port(source, lineNo, word, value));
    }

    private static int port(String source, int lineNo, String word, String value) throws HulEnvException {
        String digits = value.replaceFirst("^0+(?=.)", ""); // "030000" is 30000: decimal, never octal
        if (digits.chars().allMatch(c -> c >= '0' && c <= '9') && digits.length() <= 5) {
            int port = Integer.parseInt(digits);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        throw invalid(source, lineNo, word + " = " + quoted(value) + " is not a port number (1-65535)");
    }

    private static void remember(String source, Map<String, Setting> seen, Setting s) throws HulEnvException {
        Setting first = seen.putIfAbsent(s.key(), s);
        // HULFT's choice between two different values is unknown to us, so we refuse to pick one.
        if (first != null && !first.sameMeaning(s)) {
            throw new HulEnvException(Kind.INVALID, String.format("%s lines %d and %d: %s = %s and %s = %s differ",
                    source, first.line(), s.line(),
                    first.writtenKey(), quoted(first.value()), s.writtenKey(), quoted(s.value())));
        }
    }

    private static HulEnv toHulEnv(Map<String, Setting> seen) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String key : HulEnv.PORT_KEYS) {
            Setting s = seen.get(key);
            if (s != null && s.port() != null) {
                ports.put(key, s.port());
            }
        }
        Optional<String> host = Optional.ofNullable(seen.get(MY_HOST_NAME))
                .map(Setting::value)
                .filter(v -> !v.isEmpty());
        return new HulEnv(ports, host);
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t';
    }

    private static int skipBlanks(byte[] b, int from, int to) {
        while (from < to && isBlank(b[from])) {
            from++;
        }
        return from;
    }

    /** Index of the first byte that is neither printable ASCII nor a tab, or -1. */
    private static int firstNonPrintable(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((b[i] < 0x20 || b[i] > 0x7E) && b[i] != '\t') {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }

    private static String quoted(String value) {
        return "\"" + (value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN) + "..." : value) + "\"";
    }

    private static HulEnvException invalid(String source, int lineNo, String what) {
        return new HulEnvException(Kind.INVALID, source + " line " + lineNo + ": " + what);
    }

    private static HulEnvException unreadable(String source, String why) {
        return new HulEnvException(Kind.UNREADABLE, source + ": " + why);
    }

    private static HulEnvException tooLarge(String source, long size) {
        return unreadable(source, "is larger than 1 MiB (" + size + " bytes)");
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
