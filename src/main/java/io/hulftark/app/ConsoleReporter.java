package io.hulftark.app;

import io.hulftark.kit.Message;
import io.hulftark.kit.Reporter;
import io.hulftark.platform.EventLog;

import java.io.PrintWriter;

/** Each message as one line {@code CODE CATEGORY text} on stderr, and (but for DEBUG) to the platform's log. */
public final class ConsoleReporter implements Reporter {

    private final PrintWriter err;
    private final EventLog eventLog;

    public ConsoleReporter(PrintWriter err, EventLog eventLog) {
        this.err = err;
        this.eventLog = eventLog;
    }

    @Override
    public synchronized void report(Message message, Object... args) {
        err.println(message.line(args));
        err.flush();
        EventLog.Level level = switch (message.category()) {
            case ERROR -> EventLog.Level.ERROR;
            case WARN -> EventLog.Level.WARNING;
            case INFO -> EventLog.Level.INFORMATION;
            case DEBUG -> null;
        };
        if (level != null) {
            eventLog.write(level, message.code(), message.text(args));
        }
    }
}
