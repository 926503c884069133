package io.hulftark.platform.windows;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.WinNT.HANDLE;

/** {@link EventLogApi} through JNA's Advapi32 binding; native libraries load on the first call. */
public final class JnaEventLog implements EventLogApi {

    private record Registered(HANDLE handle) implements Source {
    }

    @Override
    public Source registerEventSource(String sourceName) throws Win32Error {
        // An unregistered source name still works: Windows logs it to the Application log.
        HANDLE h = Advapi32.INSTANCE.RegisterEventSource(null, sourceName);
        if (h == null) {
            throw JnaScm.lastError();
        }
        return new Registered(h);
    }

    @Override
    public void reportEvent(Source source, int type, int eventId, String text) throws Win32Error {
        if (!Advapi32.INSTANCE.ReportEvent(((Registered) source).handle(), type, 0, eventId, null,
                1, 0, new String[] {text}, null)) {
            throw JnaScm.lastError();
        }
    }

    @Override
    public void deregisterEventSource(Source source) {
        if (source instanceof Registered r) {
            Advapi32.INSTANCE.DeregisterEventSource(r.handle());
        }
    }
}
