package io.hulftark.platform;

/**
 * The platform's log for operators: the Windows event log, syslog, or nothing. Writing must never
 * fail the caller: an implementation that cannot write says so once on stderr and goes on.
 */
public interface EventLog {

    enum Level { ERROR, WARNING, INFORMATION }

    void write(Level level, int code, String text);

    EventLog NONE = (level, code, text) -> { };
}
