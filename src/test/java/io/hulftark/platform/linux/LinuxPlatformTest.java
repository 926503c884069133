package io.hulftark.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hulftark.platform.CommandRunner;
import io.hulftark.platform.Platform;
import io.hulftark.platform.ProcessCommandRunner;

import org.junit.jupiter.api.Test;

class LinuxPlatformTest {

    @Test
    void linuxIsSystemdAndSyslog() {
        CommandRunner runner = new ProcessCommandRunner();

        Platform p = LinuxPlatform.create(runner, "/usr/bin/systemctl", "hulft-ark");

        assertEquals("linux", p.name());
        assertFalse(p.windows());
        assertInstanceOf(LinuxServiceControl.class, p.services());
        assertInstanceOf(LinuxSyslog.class, p.eventLog());
        assertSame(runner, p.commands());
        assertTrue(p.why().contains("/usr/bin/systemctl") && p.why().contains("hulft-ark"), p.why());
        assertEquals(1, p.why().lines().count());
    }
}
