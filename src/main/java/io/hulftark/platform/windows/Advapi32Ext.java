package io.hulftark.platform.windows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Winsvc.SC_HANDLE;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;

/**
 * The two advapi32 functions jna-platform 5.19.1 does not bind. Named with their W suffix and
 * loaded with UNICODE_OPTIONS so that a {@code String} is always a wide string here, whatever
 * {@code w32.ascii} says (DEFAULT_OPTIONS would switch both the names and the string type).
 */
interface Advapi32Ext extends StdCallLibrary {

    Advapi32Ext INSTANCE = Native.load("Advapi32", Advapi32Ext.class, W32APIOptions.UNICODE_OPTIONS);

    /** BOOL QueryServiceConfigW(SC_HANDLE, LPQUERY_SERVICE_CONFIGW, DWORD cbBufSize, LPDWORD pcbBytesNeeded). */
    boolean QueryServiceConfigW(SC_HANDLE hService, Pointer lpServiceConfig, int cbBufSize,
                                IntByReference pcbBytesNeeded);

    /**
     * BOOL ChangeServiceConfigW(SC_HANDLE, DWORD dwServiceType, DWORD dwStartType, DWORD dwErrorControl,
     * LPCWSTR lpBinaryPathName, LPCWSTR lpLoadOrderGroup, LPDWORD lpdwTagId, LPCWSTR lpDependencies,
     * LPCWSTR lpServiceStartName, LPCWSTR lpPassword, LPCWSTR lpDisplayName).
     */
    boolean ChangeServiceConfigW(SC_HANDLE hService, int dwServiceType, int dwStartType, int dwErrorControl,
                                 String lpBinaryPathName, String lpLoadOrderGroup, IntByReference lpdwTagId,
                                 String lpDependencies, String lpServiceStartName, String lpPassword,
                                 String lpDisplayName);
}
