package io.hulftark.platform.windows;

/** The three kernel32 job-object calls {@link WindowsJob} needs, behind a seam so its logic is tested anywhere. */
public interface JobApi {

    /** An opaque job handle. */
    interface Job { }

    /** CreateJobObjectW(NULL, NULL). */
    Job create() throws Win32Error;

    /** SetInformationJobObject(JobObjectExtendedLimitInformation) with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE. */
    void killOnClose(Job job) throws Win32Error;

    /** OpenProcess(PROCESS_SET_QUOTA | PROCESS_TERMINATE, pid), AssignProcessToJobObject, CloseHandle. */
    void assign(Job job, long pid) throws Win32Error;
}
