package io.hulftark.platform.windows;

/**
 * The three event-log calls, with plain Java values. {@link JnaEventLog} implements them on
 * Windows; {@link WindowsEventLog} holds the logic and is tested with a fake.
 */
public interface EventLogApi {

    // Values from winnt.h.
    int EVENTLOG_ERROR_TYPE = 0x0001;
    int EVENTLOG_WARNING_TYPE = 0x0002;
    int EVENTLOG_INFORMATION_TYPE = 0x0004;

    /** An event source handle from RegisterEventSourceW. */
    interface Source {
    }

    /** {@code RegisterEventSourceW(NULL, sourceName)}: the local machine. */
    Source registerEventSource(String sourceName) throws Win32Error;

    /** {@code ReportEventW(source, type, 0, eventId, NULL, 1, 0, {text}, NULL)}: one string, no category, no data. */
    void reportEvent(Source source, int type, int eventId, String text) throws Win32Error;

    /** {@code DeregisterEventSource}; never fails the caller. */
    void deregisterEventSource(Source source);
}
