package io.hulftark.platform.windows;

import io.hulftark.platform.Containment;
import org.jboss.logging.Logger;

/**
 * One job object per process that kills every process in it when its last handle closes: this
 * process holds the only handle and never closes it, so when the agent (or the CLI) ends or is
 * killed, the commands it runs and the processes they started end with it. A child that starts a
 * service asks the Service Control Manager to, so the service is not in the job and lives on.
 * If the job cannot be made or a process not put in it, that is said once and commands run as before.
 */
public final class WindowsJob implements Containment {

    private static final Logger LOG = Logger.getLogger(WindowsJob.class);

    private final JobApi api;
    private JobApi.Job job;
    private boolean broken;
    private boolean assignFailureTold;

    public WindowsJob(JobApi api) {
        this.api = api;
    }

    @Override
    public synchronized void adopt(Process process) {
        if (broken) {
            return;
        }
        try {
            if (job == null) {
                JobApi.Job made = api.create();
                api.killOnClose(made);
                job = made;
            }
        } catch (Win32Error e) {
            broken = true;
            LOG.warnf("commands are not in a job object (they may outlive this process): %s", e.getMessage());
            return;
        }
        try {
            api.assign(job, process.pid());
        } catch (Win32Error e) {
            if (!assignFailureTold) {
                assignFailureTold = true;
                LOG.warnf("a command could not be put in this process's job object (it may outlive this process): %s",
                        e.getMessage());
            }
        }
    }

    /** Whether a job is in use (for tests and diagnostics). */
    public synchronized boolean active() {
        return job != null && !broken;
    }
}
