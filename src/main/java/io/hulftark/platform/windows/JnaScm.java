package io.hulftark.platform.windows;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32Util;
import com.sun.jna.platform.win32.Winsvc;
import com.sun.jna.platform.win32.Winsvc.SC_HANDLE;
import com.sun.jna.ptr.IntByReference;

/**
 * {@link ScmApi} through JNA: each method is one Win32 call and its error check, nothing more.
 * Native libraries load on the first call, so constructing this on another OS is harmless.
 */
public final class JnaScm implements ScmApi {

    private record Sc(SC_HANDLE handle) implements Handle {
    }

    @Override
    public Handle openManager(int access) throws Win32Error {
        SC_HANDLE h = Advapi32.INSTANCE.OpenSCManager(null, null, access);
        if (h == null) {
            throw lastError();
        }
        return new Sc(h);
    }

    @Override
    public Handle openService(Handle manager, String name, int access) throws Win32Error {
        SC_HANDLE h = Advapi32.INSTANCE.OpenService(sc(manager), name, access);
        if (h == null) {
            throw lastError();
        }
        return new Sc(h);
    }

    @Override
    public int queryStatus(Handle service) throws Win32Error {
        Winsvc.SERVICE_STATUS status = new Winsvc.SERVICE_STATUS();
        if (!Advapi32.INSTANCE.QueryServiceStatus(sc(service), status)) {
            throw lastError();
        }
        return status.dwCurrentState;
    }

    @Override
    public int queryStartType(Handle service) throws Win32Error {
        Memory config = query((buf, size, needed) -> Advapi32Ext.INSTANCE.QueryServiceConfigW(sc(service), buf, size, needed));
        // QUERY_SERVICE_CONFIGW begins DWORD dwServiceType, DWORD dwStartType.
        return config.getInt(4);
    }

    @Override
    public boolean queryDelayedAutoStart(Handle service) throws Win32Error {
        Memory info = query((buf, size, needed) -> Advapi32.INSTANCE.QueryServiceConfig2(
                sc(service), Winsvc.SERVICE_CONFIG_DELAYED_AUTO_START_INFO, buf, size, needed));
        // SERVICE_DELAYED_AUTO_START_INFO is one BOOL, fDelayedAutostart.
        return info.getInt(0) != 0;
    }

    @Override
    public void changeConfig(Handle service, int serviceType, int startType, int errorControl) throws Win32Error {
        if (!Advapi32Ext.INSTANCE.ChangeServiceConfigW(sc(service), serviceType, startType, errorControl,
                null, null, null, null, null, null, null)) {
            throw lastError();
        }
    }

    @Override
    public void close(Handle handle) {
        if (handle instanceof Sc s) {
            Advapi32.INSTANCE.CloseServiceHandle(s.handle());
        }
    }

    private interface SizedQuery {
        boolean call(Pointer buffer, int size, IntByReference needed);
    }

    /** The two-call pattern of the Query*Config functions: ask for the size, then fill a buffer of it. */
    private static Memory query(SizedQuery q) throws Win32Error {
        IntByReference needed = new IntByReference();
        if (q.call(null, 0, needed)) {
            throw new Win32Error(Win32Error.ERROR_INSUFFICIENT_BUFFER, "the SCM returned no data");
        }
        int error = Native.getLastError();
        if (error != Win32Error.ERROR_INSUFFICIENT_BUFFER) {
            throw error(error);
        }
        Memory buffer = new Memory(Math.max(needed.getValue(), 8));
        buffer.clear();
        if (!q.call(buffer, (int) buffer.size(), needed)) {
            throw lastError();
        }
        return buffer;
    }

    private static SC_HANDLE sc(Handle h) {
        return ((Sc) h).handle();
    }

    static Win32Error lastError() {
        return error(Native.getLastError());
    }

    static Win32Error error(int code) {
        String text;
        try {
            text = Kernel32Util.formatMessage(code);
        } catch (RuntimeException e) {
            text = "no description from the system";
        }
        return new Win32Error(code, text);
    }
}
