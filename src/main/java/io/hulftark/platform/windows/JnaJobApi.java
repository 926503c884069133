package io.hulftark.platform.windows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTR;
import com.sun.jna.platform.win32.BaseTSD.SIZE_T;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;

/**
 * {@link JobApi} through JNA. jna-platform 5.19.1 binds no job-object function, so the three are
 * bound here with the structure they take. Native code loads on the first call.
 */
public final class JnaJobApi implements JobApi {

    static final int JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9;
    static final int JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000;

    interface Kernel32Jobs extends StdCallLibrary {
        Kernel32Jobs INSTANCE = Native.load("kernel32", Kernel32Jobs.class, W32APIOptions.UNICODE_OPTIONS);

        /** HANDLE CreateJobObjectW(LPSECURITY_ATTRIBUTES, LPCWSTR lpName). */
        HANDLE CreateJobObjectW(Pointer attributes, String name);

        /** BOOL SetInformationJobObject(HANDLE, JOBOBJECTINFOCLASS, LPVOID, DWORD). */
        boolean SetInformationJobObject(HANDLE job, int infoClass, Structure info, int length);

        /** BOOL AssignProcessToJobObject(HANDLE hJob, HANDLE hProcess). */
        boolean AssignProcessToJobObject(HANDLE job, HANDLE process);
    }

    /** JOBOBJECT_BASIC_LIMIT_INFORMATION. */
    @Structure.FieldOrder({"PerProcessUserTimeLimit", "PerJobUserTimeLimit", "LimitFlags", "MinimumWorkingSetSize",
            "MaximumWorkingSetSize", "ActiveProcessLimit", "Affinity", "PriorityClass", "SchedulingClass"})
    public static class BasicLimits extends Structure {
        public long PerProcessUserTimeLimit;
        public long PerJobUserTimeLimit;
        public int LimitFlags;
        public SIZE_T MinimumWorkingSetSize = new SIZE_T();
        public SIZE_T MaximumWorkingSetSize = new SIZE_T();
        public int ActiveProcessLimit;
        public ULONG_PTR Affinity = new ULONG_PTR();
        public int PriorityClass;
        public int SchedulingClass;
    }

    /** IO_COUNTERS. */
    @Structure.FieldOrder({"ReadOperationCount", "WriteOperationCount", "OtherOperationCount", "ReadTransferCount",
            "WriteTransferCount", "OtherTransferCount"})
    public static class IoCounters extends Structure {
        public long ReadOperationCount;
        public long WriteOperationCount;
        public long OtherOperationCount;
        public long ReadTransferCount;
        public long WriteTransferCount;
        public long OtherTransferCount;
    }

    /** JOBOBJECT_EXTENDED_LIMIT_INFORMATION. */
    @Structure.FieldOrder({"BasicLimitInformation", "IoInfo", "ProcessMemoryLimit", "JobMemoryLimit",
            "PeakProcessMemoryUsed", "PeakJobMemoryUsed"})
    public static class ExtendedLimits extends Structure {
        public BasicLimits BasicLimitInformation = new BasicLimits();
        public IoCounters IoInfo = new IoCounters();
        public SIZE_T ProcessMemoryLimit = new SIZE_T();
        public SIZE_T JobMemoryLimit = new SIZE_T();
        public SIZE_T PeakProcessMemoryUsed = new SIZE_T();
        public SIZE_T PeakJobMemoryUsed = new SIZE_T();
    }

    private record Handle(HANDLE handle) implements Job { }

    @Override
    public Job create() throws Win32Error {
        HANDLE h = Kernel32Jobs.INSTANCE.CreateJobObjectW(null, null);
        if (h == null) {
            throw JnaScm.lastError();
        }
        return new Handle(h);
    }

    @Override
    public void killOnClose(Job job) throws Win32Error {
        ExtendedLimits info = new ExtendedLimits();
        info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        info.write();
        if (!Kernel32Jobs.INSTANCE.SetInformationJobObject(((Handle) job).handle(),
                JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, info, info.size())) {
            throw JnaScm.lastError();
        }
    }

    @Override
    public void assign(Job job, long pid) throws Win32Error {
        HANDLE process = Kernel32.INSTANCE.OpenProcess(WinNT.PROCESS_SET_QUOTA | WinNT.PROCESS_TERMINATE, false,
                (int) pid);
        if (process == null) {
            throw JnaScm.lastError();
        }
        try {
            if (!Kernel32Jobs.INSTANCE.AssignProcessToJobObject(((Handle) job).handle(), process)) {
                throw JnaScm.lastError();
            }
        } finally {
            Kernel32.INSTANCE.CloseHandle(process);
        }
    }
}
