package io.hulftark.hulft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HulftCommandsTest {

    @TempDir
    Path tmp;

    /** A bin folder with a space in its path, like "C:\HULFT Family\hulft8\bin". */
    private Path bin;

    @BeforeEach
    void makeBin() throws IOException {
        bin = Files.createDirectories(tmp.resolve("HULFT Family").resolve("hulft8").resolve("bin"));
    }

    private Path executable(String name) throws IOException {
        Path p = Files.writeString(bin.resolve(name), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private Path plainFile(String name) throws IOException {
        Path p = Files.writeString(bin.resolve(name), "");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        return p;
    }

    @Test
    void utlsvcctlIsPreferredOverUtlsvctl() throws IOException {
        Path preferred = executable("utlsvcctl");
        executable("utlsvctl");
        assertEquals(Optional.of(preferred), new HulftCommands(bin, false).serviceControl());
    }

    @Test
    void utlsvctlIsTheFallback() throws IOException {
        Path old = executable("utlsvctl");
        assertEquals(Optional.of(old), new HulftCommands(bin, false).serviceControl());
    }

    @Test
    void nonExecutableUtlsvcctlIsSkippedOffWindows() throws IOException {
        plainFile("utlsvcctl");
        Path old = executable("utlsvctl");
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isExecutable(bin.resolve("utlsvcctl")), "root can execute anything");
        assertEquals(Optional.of(old), new HulftCommands(bin, false).serviceControl());
    }

    @Test
    void aDirectoryNamedLikeTheCommandDoesNotCount() throws IOException {
        Files.createDirectory(bin.resolve("utlsvcctl"));
        assertEquals(Optional.empty(), new HulftCommands(bin, false).serviceControl());
    }

    @Test
    void windowsAppendsExeAndNeedsNoExecuteBit() throws IOException {
        Path exe = plainFile("utlsvcctl.exe");
        plainFile("utlsvctl.exe");
        executable("utlalivecheck"); // without .exe: not HULFT on Windows
        HulftCommands commands = new HulftCommands(bin, true);
        assertEquals(Optional.of(exe), commands.serviceControl());
        assertEquals(Optional.empty(), commands.aliveCheck());
        Path alive = plainFile("utlalivecheck.exe");
        assertEquals(Optional.of(alive), commands.aliveCheck());
    }

    @Test
    void windowsFallsBackToUtlsvctlExe() throws IOException {
        Path exe = plainFile("utlsvctl.exe");
        executable("utlsvcctl"); // no .exe
        assertEquals(Optional.of(exe), new HulftCommands(bin, true).serviceControl());
    }

    @Test
    void startAndStopArgvKeepThePathWithSpacesAsOneArgument() throws IOException {
        Path ctl = executable("utlsvcctl");
        HulftCommands commands = new HulftCommands(bin, false);
        assertEquals(List.of(ctl.toString(), "-c", "start"), commands.startArgv());
        assertEquals(List.of(ctl.toString(), "-c", "stop"), commands.stopArgv());
        assertEquals(3, commands.startArgv().size());
        assertEquals(bin.resolve("utlsvcctl").toString(), commands.startArgv().get(0));
    }

    @Test
    void aliveCheckArgvAlwaysGivesTheHost() throws IOException {
        Path alive = executable("utlalivecheck");
        assertEquals(List.of(alive.toString(), "-h", "hulft-vip", "-p", "30000", "-w", "10"),
                new HulftCommands(bin, false).aliveCheckArgv("hulft-vip", 30000, 10));
    }

    @Test
    void windowsArgvUseTheExe() throws IOException {
        Path ctl = plainFile("utlsvctl.exe");
        Path alive = plainFile("utlalivecheck.exe");
        HulftCommands commands = new HulftCommands(bin, true);
        assertEquals(List.of(ctl.toString(), "-c", "start"), commands.startArgv());
        assertEquals(List.of(alive.toString(), "-h", "vip", "-p", "31000", "-w", "5"), commands.aliveCheckArgv("vip", 31000, 5));
    }

    @Test
    void missingServiceControlNamesFolderAndBothNames() {
        HulftCommands commands = new HulftCommands(bin, false);
        assertEquals(Optional.empty(), commands.serviceControl());
        IllegalStateException e = assertThrows(IllegalStateException.class, commands::startArgv);
        assertEquals("no utlsvcctl or utlsvctl in " + bin + " (or not executable)", e.getMessage());
        assertEquals(e.getMessage(), assertThrows(IllegalStateException.class, commands::stopArgv).getMessage());
    }

    @Test
    void missingServiceControlOnWindowsNamesTheExes() {
        IllegalStateException e = assertThrows(IllegalStateException.class, new HulftCommands(bin, true)::stopArgv);
        assertEquals("no utlsvcctl.exe or utlsvctl.exe in " + bin, e.getMessage());
    }

    @Test
    void missingAliveCheckNamesFolder() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new HulftCommands(bin, true).aliveCheckArgv("vip", 30000, 10));
        assertEquals("no utlalivecheck.exe in " + bin, e.getMessage());
    }

    @Test
    void missingBinFolderFindsNothing() {
        HulftCommands commands = new HulftCommands(tmp.resolve("absent"), false);
        assertEquals(Optional.empty(), commands.serviceControl());
        assertEquals(Optional.empty(), commands.aliveCheck());
    }

    @Test
    void lookupSeesCommandsThatAppearLater() throws IOException {
        HulftCommands commands = new HulftCommands(bin, false);
        assertEquals(Optional.empty(), commands.serviceControl());
        Path ctl = executable("utlsvctl");
        assertEquals(Optional.of(ctl), commands.serviceControl());
    }
}
