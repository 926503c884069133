package io.hulftark.platform.windows;

/**
 * A Win32 call failed: its error code and the system's text for it. Thrown by the seams
 * ({@link ScmApi}, {@link EventLogApi}) so that the logic above them never touches JNA.
 */
public final class Win32Error extends Exception {

    public static final int ERROR_ACCESS_DENIED = 5;
    public static final int ERROR_INSUFFICIENT_BUFFER = 122;
    public static final int ERROR_SERVICE_DOES_NOT_EXIST = 1060;

    private final int code;
    private final String text;

    public Win32Error(int code, String text) {
        super("Win32 error " + code + ": " + text, null, false, false);
        this.code = code;
        this.text = text == null ? "" : text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    /** "Win32 error 5: Access is denied." on one line, whatever line breaks FormatMessage put in. */
    public String describe() {
        String t = text.strip().replaceAll("\\s+", " ");
        return "Win32 error " + code + (t.isEmpty() ? "" : ": " + t);
    }
}
