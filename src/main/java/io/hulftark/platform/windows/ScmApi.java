package io.hulftark.platform.windows;

/**
 * The few Service Control Manager calls the kit makes, one method per Win32 function, with plain
 * Java values in and out. {@link JnaScm} is the only implementation that touches Windows; all
 * decisions live in {@link WindowsServiceControl}, which tests drive with a fake of this interface.
 */
public interface ScmApi {

    // Values from winsvc.h / winnt.h, repeated here so that the logic does not load JNA classes.
    int SC_MANAGER_CONNECT = 0x0001;
    int SERVICE_QUERY_CONFIG = 0x0001;
    int SERVICE_CHANGE_CONFIG = 0x0002;
    int SERVICE_QUERY_STATUS = 0x0004;

    int SERVICE_STOPPED = 1;
    int SERVICE_START_PENDING = 2;
    int SERVICE_STOP_PENDING = 3;
    int SERVICE_RUNNING = 4;
    int SERVICE_CONTINUE_PENDING = 5;
    int SERVICE_PAUSE_PENDING = 6;
    int SERVICE_PAUSED = 7;

    int SERVICE_BOOT_START = 0;
    int SERVICE_SYSTEM_START = 1;
    int SERVICE_AUTO_START = 2;
    int SERVICE_DEMAND_START = 3;
    int SERVICE_DISABLED = 4;

    int SERVICE_NO_CHANGE = 0xffffffff;

    /** An open SC_HANDLE (manager or service). Opaque: only the implementation that made it reads it. */
    interface Handle {
    }

    /** {@code OpenSCManagerW(NULL, NULL, access)} on the local machine. */
    Handle openManager(int access) throws Win32Error;

    /** {@code OpenServiceW(manager, name, access)}. */
    Handle openService(Handle manager, String name, int access) throws Win32Error;

    /** {@code dwCurrentState} from {@code QueryServiceStatus}; needs SERVICE_QUERY_STATUS. */
    int queryStatus(Handle service) throws Win32Error;

    /** {@code dwStartType} from {@code QueryServiceConfigW}; needs SERVICE_QUERY_CONFIG. */
    int queryStartType(Handle service) throws Win32Error;

    /** {@code fDelayedAutostart} from {@code QueryServiceConfig2W(SERVICE_CONFIG_DELAYED_AUTO_START_INFO)}. */
    boolean queryDelayedAutoStart(Handle service) throws Win32Error;

    /**
     * {@code ChangeServiceConfigW(service, serviceType, startType, errorControl, NULL...)}: every
     * string argument (binary path, group, tag, dependencies, account, password, display name) is
     * NULL, which the SCM reads as "no change". Needs SERVICE_CHANGE_CONFIG.
     */
    void changeConfig(Handle service, int serviceType, int startType, int errorControl) throws Win32Error;

    /** {@code CloseServiceHandle}; never fails the caller (there is nothing it could do). */
    void close(Handle handle);
}
