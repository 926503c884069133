package io.hulftark.platform.windows;

import io.hulftark.platform.EventLog;
import java.io.PrintStream;

/**
 * Messages to the Windows event log under one source name. Event Viewer shows only the low 16 bits
 * of an event ID (and a message file such as EventLogMessages.dll renders only IDs up to 65535), so
 * the full code 5105xxxx cannot be the visible ID: the event ID is the code less 51050000 (4 for
 * 51050004) and the event's only string starts with the full code, "51050004 Failed to start ...". The source is registered on the first write and released by
 * {@link #close()}. Never throws: the first failure is told once on stderr, later ones are dropped
 * (the kit prints every message on stderr as well, so nothing is lost to the operator).
 */
public final class WindowsEventLog implements EventLog, AutoCloseable {

    public static final String DEFAULT_SOURCE = "hulft-ark";

    static final int CODE_BASE = 51_050_000;

    /** ReportEvent refuses a string longer than this many characters. */
    static final int MAX_TEXT = 31_839;

    private final EventLogApi api;
    private final String sourceName;
    private final PrintStream err;
    private EventLogApi.Source source;
    private boolean warned;

    /** @param sourceName the event source; {@code null} or blank means {@value #DEFAULT_SOURCE} */
    public WindowsEventLog(String sourceName) {
        this(new JnaEventLog(), sourceName, System.err);
    }

    WindowsEventLog(EventLogApi api, String sourceName, PrintStream err) {
        this.api = api;
        this.sourceName = sourceName == null || sourceName.isBlank() ? DEFAULT_SOURCE : sourceName.strip();
        this.err = err;
    }

    public String sourceName() {
        return sourceName;
    }

    @Override
    public synchronized void write(Level level, int code, String text) {
        String t = text == null || text.isEmpty() ? Integer.toString(code) : code + " " + text;
        if (t.length() > MAX_TEXT) {
            t = t.substring(0, MAX_TEXT - 3) + "...";
        }
        try {
            if (source == null) {
                source = api.registerEventSource(sourceName);
            }
            api.reportEvent(source, type(level), eventId(code), t);
        } catch (Win32Error e) {
            warnOnce(e.describe());
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: JNA or advapi32 cannot be loaded; the caller must not fail for a log line.
            warnOnce(WindowsServiceControl.firstLine(e));
        }
    }

    /** The message code's place in our range (0-199), a valid 16-bit event ID; any other code as its low 16 bits. */
    static int eventId(int code) {
        int offset = code - CODE_BASE;
        return offset >= 0 && offset <= 0xFFFF ? offset : code & 0xFFFF;
    }

    static int type(Level level) {
        if (level == null) {
            return EventLogApi.EVENTLOG_INFORMATION_TYPE;
        }
        return switch (level) {
            case ERROR -> EventLogApi.EVENTLOG_ERROR_TYPE;
            case WARNING -> EventLogApi.EVENTLOG_WARNING_TYPE;
            case INFORMATION -> EventLogApi.EVENTLOG_INFORMATION_TYPE;
        };
    }

    @Override
    public synchronized void close() {
        if (source != null) {
            try {
                api.deregisterEventSource(source);
            } catch (RuntimeException | LinkageError e) {
                warnOnce(WindowsServiceControl.firstLine(e));
            } finally {
                source = null;
            }
        }
    }

    private void warnOnce(String why) {
        if (!warned) {
            warned = true;
            err.println("hulft-ark: cannot write to the Windows event log (source '" + sourceName + "'): "
                    + why.strip().replaceAll("\\s+", " ") + "; messages go to stderr only");
        }
    }
}
