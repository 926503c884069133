package io.hulftark.wire;

import java.util.regex.Pattern;

/**
 * The one text rule of everything that crosses the wire between the agent and the fleet view, and of every name
 * or free text either service takes from a person. Both sides call this class, so what one accepts the other
 * never refuses.
 *
 * <ul>
 *   <li><b>Identifiers</b> (cluster, node, token names): {@code [A-Za-z0-9._@-]}, 1 to 64.</li>
 *   <li><b>Names</b> (resource tags, service names, roles, port keys, versions): any text that cannot disguise
 *       itself: no C0/C1 control or DEL, no bidi control (U+061C, U+200E, U+200F, U+202A–U+202E,
 *       U+2066–U+2069), no zero-width character (U+200B–U+200D, U+2060, U+FEFF), no line or paragraph separator
 *       (U+2028, U+2029), no lone surrogate, not blank, no blank at either end, bounded in code points.</li>
 *   <li><b>Free texts</b> (reasons, comments, event texts): a person's words. A new one is refused only for a
 *       control character or a lone surrogate; one passing through (a report) is {@linkplain #neutralise
 *       neutralised} instead, never refused. Bidi and zero-width characters are kept: the dashboard shows them.</li>
 * </ul>
 * A problem is one line naming the field and, for a bad character, its code point and place; it never echoes
 * the value (which may be what the rule is there to keep out of logs).
 */
public final class WireText {

    /** Replaces what a free text may not carry: visible, and never itself a control. */
    public static final String REPLACEMENT = "\uFFFD";
    /** Ends a text cut at its bound. */
    public static final String CUT = "\u2026";
    public static final int ID_MAX = 64;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@-]{1," + ID_MAX + "}");

    private WireText() {
    }

    /** C0 and C1 controls and DEL (U+0000–U+001F, U+007F–U+009F). */
    public static boolean isControl(int cp) {
        return cp < 0x20 || cp >= 0x7F && cp <= 0x9F;
    }

    /** Characters that change how the text around them is shown: bidi controls, zero-width characters, U+2028/9. */
    public static boolean isDisguising(int cp) {
        return cp == 0x061C || cp == 0x200E || cp == 0x200F || cp >= 0x202A && cp <= 0x202E
                || cp >= 0x2066 && cp <= 0x2069 || cp >= 0x200B && cp <= 0x200D || cp == 0x2060 || cp == 0xFEFF
                || cp == 0x2028 || cp == 0x2029;
    }

    /** True for an identifier: a cluster, node or token name. */
    public static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** Why {@code value} is not an identifier (a cluster, node or token name), or null when it is one. */
    public static String idProblem(String field, String value) {
        if (value == null || value.isEmpty()) {
            return field + " is missing";
        }
        return isId(value) ? null : field + " is not a name (1 to " + ID_MAX + " of A-Z a-z 0-9 . _ @ -)";
    }

    /**
     * Why {@code value} is not a name of at most {@code max} code points, or null when it is one (a missing one is
     * a problem only when {@code required}).
     */
    public static String nameProblem(String field, String value, int max, boolean required) {
        if (value == null || value.isEmpty()) {
            return required ? field + " is missing" : null;
        }
        if (value.isBlank()) {
            return field + " is blank";
        }
        String p = characters(field, value, true);
        if (p != null) {
            return p;
        }
        if (value.codePointCount(0, value.length()) > max) {
            return field + " is too long: at most " + max + " characters";
        }
        if (Character.isWhitespace(value.codePointAt(0)) || Character.isWhitespace(value.codePointBefore(value.length()))
                || Character.isSpaceChar(value.codePointAt(0))
                || Character.isSpaceChar(value.codePointBefore(value.length()))) {
            return field + " begins or ends with a blank";
        }
        return null;
    }

    /**
     * Why a new free text (a reason, a comment) is refused, or null when it is taken: too long, or a control
     * character or lone surrogate in it. Bidi, zero-width and separator characters are taken (and shown visibly).
     */
    public static String freeTextProblem(String field, String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            return required ? field + " is missing" : null;
        }
        String p = characters(field, value, false);
        if (p != null) {
            return p;
        }
        return value.codePointCount(0, value.length()) > max ? field + " is too long: at most " + max + " characters"
                : null;
    }

    /** The first character the rule refuses, as a problem, or null. */
    private static String characters(String field, String value, boolean name) {
        for (int i = 0; i < value.length(); ) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i += 2;
                continue;
            }
            int place = value.codePointCount(0, i);
            if (Character.isSurrogate(c)) {
                return field + " holds a lone surrogate " + hex(c) + " at character " + place;
            }
            if (isControl(c)) {
                return field + " holds a control character " + hex(c) + " at character " + place;
            }
            if (name && isDisguising(c)) {
                return field + " holds " + hex(c) + " at character " + place
                        + " (a name may hold no bidi control, zero-width character or line separator)";
            }
            i++;
        }
        return null;
    }

    /**
     * A free text as it may be kept and shown: every control character (C0, DEL, C1 such as U+0085) and every
     * lone surrogate replaced by {@link #REPLACEMENT}, except tab, line feed and carriage return, which become a
     * space (the text stays one line); cut to at most {@code max} code points (never inside a surrogate pair),
     * the cut marked with {@link #CUT}. Bidi and zero-width characters are kept. Null stays null.
     */
    public static String neutralise(String value, int max) {
        if (value == null) {
            return null;
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, not " + max);
        }
        StringBuilder b = null; // only when something changes: the common text is returned as is
        int codePoints = 0;
        for (int i = 0; i < value.length(); ) {
            char c = value.charAt(i);
            int width = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1)) ? 2 : 1;
            String replacement = width == 2 ? null
                    : c == '\t' || c == '\n' || c == '\r' ? " "
                    : isControl(c) || Character.isSurrogate(c) ? REPLACEMENT : null;
            if (codePoints == max) {
                b = b != null ? b : new StringBuilder(value.substring(0, i));
                b.setLength(b.length() - Character.charCount(b.codePointBefore(b.length())));
                return b.append(CUT).toString();
            }
            if (replacement != null && b == null) {
                b = new StringBuilder(value.length()).append(value, 0, i);
            }
            if (b != null) {
                if (replacement != null) {
                    b.append(replacement);
                } else {
                    b.append(value, i, i + width);
                }
            }
            i += width;
            codePoints++;
        }
        return b == null ? value : b.toString();
    }

    private static String hex(int cp) {
        return String.format("U+%04X", cp);
    }
}
