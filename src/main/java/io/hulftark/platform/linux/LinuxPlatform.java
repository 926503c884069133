package io.hulftark.platform.linux;

import io.hulftark.platform.CommandRunner;
import io.hulftark.platform.Platform;

/** Linux: services are systemd units, messages go to syslog. */
public final class LinuxPlatform {

    private LinuxPlatform() {
    }

    /**
     * @param systemctl the systemctl program (a full path, or a name resolved on PATH)
     * @param syslogTag the tag (program name) of every syslog record, e.g. {@code hulft-ark}
     */
    public static Platform create(CommandRunner runner, String systemctl, String syslogTag) {
        String why = "os.name is " + System.getProperty("os.name") + ": services through systemd (" + systemctl
                + "), messages to syslog (logger -t " + syslogTag + ")";
        return new Platform("linux", why, false, new LinuxServiceControl(runner, systemctl),
                new LinuxSyslog(runner, syslogTag), runner);
    }
}
