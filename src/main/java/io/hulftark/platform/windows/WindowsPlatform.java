package io.hulftark.platform.windows;

import io.hulftark.platform.Platform;
import io.hulftark.platform.ProcessCommandRunner;

/**
 * The Windows platform: the SCM and the event log through JNA, external commands through
 * {@link ProcessCommandRunner} (its process-tree kill uses ProcessHandle.descendants, which works
 * on Windows as it does on Linux, so there is no Windows-specific runner).
 */
public final class WindowsPlatform {

    private WindowsPlatform() {
    }

    /**
     * Builds the platform without touching Windows yet: native libraries load on the first SCM or
     * event-log call.
     *
     * @param eventSource the event-log source name; {@code null} or blank means {@value WindowsEventLog#DEFAULT_SOURCE}
     */
    public static Platform create(String eventSource) {
        WindowsEventLog log = new WindowsEventLog(eventSource);
        String why = "running on " + System.getProperty("os.name")
                + ": services through the Service Control Manager, messages to the event log as source '"
                + log.sourceName() + "'";
        return new Platform("windows", why, true, new WindowsServiceControl(), log, new ProcessCommandRunner());
    }
}
