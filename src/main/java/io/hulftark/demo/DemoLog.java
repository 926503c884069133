package io.hulftark.demo;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** The demo's narration: one line per event, "12:03:04 text", from any thread. */
public final class DemoLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintWriter out;
    private final Clock clock;

    public DemoLog(PrintWriter out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    public synchronized void line(String text) {
        out.println(LocalTime.now(clock).format(TIME) + " " + text);
        out.flush();
    }

    /** A line without a time stamp (the banner and the legend). */
    public synchronized void plain(String text) {
        out.println(text);
        out.flush();
    }
}
