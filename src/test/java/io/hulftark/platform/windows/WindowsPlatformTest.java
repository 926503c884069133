package io.hulftark.platform.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hulftark.platform.Platform;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ProcessCommandRunner;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

class WindowsPlatformTest {

    @Test
    void createAssemblesTheWindowsPlatformWithoutTouchingWindows() {
        Platform p = WindowsPlatform.create("hulft-ark-test");
        assertEquals("windows", p.name());
        assertTrue(p.windows());
        assertTrue(p.why().contains("source 'hulft-ark-test'"), p.why());
        assertInstanceOf(WindowsServiceControl.class, p.services());
        assertEquals("hulft-ark-test", assertInstanceOf(WindowsEventLog.class, p.eventLog()).sourceName());
        assertInstanceOf(ProcessCommandRunner.class, p.commands());
    }

    @Test
    void theDefaultEventSourceIsHulftArk() {
        assertEquals("hulft-ark", ((WindowsEventLog) WindowsPlatform.create(null).eventLog()).sourceName());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void elsewhereTheRealScmFailsWithAPlatformExceptionNotAnError() {
        PlatformException e = assertThrows(PlatformException.class,
                () -> new WindowsServiceControl().state("HULFT8 Service", Duration.ofSeconds(10)));
        // UnsatisfiedLinkError on the first use, NoClassDefFoundError after: either way, one line.
        assertTrue(e.getMessage().startsWith("The Service Control Manager is not available ("), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line, however long JNA's own message is");
    }
}
