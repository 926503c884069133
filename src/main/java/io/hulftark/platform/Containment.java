package io.hulftark.platform;

import io.hulftark.platform.windows.JnaJobApi;
import io.hulftark.platform.windows.WindowsJob;

/**
 * Where the OS can, the commands this process runs end with it: on Windows a job object that kills
 * its processes when the last handle closes (this process's death closes it). Elsewhere nothing is
 * done here: the {@link ChildLedger} lets the next lock holder end what a dead process left.
 */
public interface Containment {

    /** Puts a command just started under this process's containment; never throws. */
    void adopt(Process process);

    Containment NONE = p -> { };

    static Containment current() {
        return Holder.CURRENT;
    }

    /** Made on first use, so that JNA is loaded on Windows only and only by a process that runs commands. */
    final class Holder {
        static final Containment CURRENT = System.getProperty("os.name", "").startsWith("Windows")
                ? new WindowsJob(new JnaJobApi()) : NONE;

        private Holder() {
        }
    }
}
