package io.hulftark.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tokens file guarded, with the packaged application as real processes: {@code token new} under umask 000
 * makes an owner-only folder and file; a tokens file others may write, or another user's, stops the agent and
 * the fleet view at start with one line, and a running fleet view accepts no token of a file made writable.
 */
class TokensFileIT {

    @TempDir
    Path dir;

    /** The JVM started through a shell only to set its umask (ProcessBuilder cannot); the product runs none. */
    private Cli.Result run(String umask, Path tokens, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + "; exec \"$@\"", "sh",
                Cli.javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dhulftark.security.tokens-file=" + tokens, "-Dhulftark.state-dir=" + dir.resolve("state"),
                "-Dquarkus.http.port=" + AgentProcess.freePort(), "-Dquarkus.http.host=127.0.0.1",
                "-jar", Cli.APP.toString()));
        cmd.addAll(List.of(args));
        return Cli.finish(new ProcessBuilder(cmd).start(), System.nanoTime());
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void tokenNewUnderUmask000MakesAnOwnerOnlyFolderAndFile() throws Exception {
        Path tokens = dir.resolve("secrets/sub/tokens");
        Cli.Result r = run("000", tokens, "token", "new", "--name", "ops", "--role", "operator");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).startsWith("hak_");
        assertThat(mode(dir.resolve("secrets"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("secrets/sub"))).isEqualTo("rwx------");
        assertThat(mode(tokens)).isEqualTo("rw-------");

        // A second token into the existing file keeps it so (the file is rewritten through a temporary one).
        Cli.Result again = run("000", tokens, "token", "new", "--name", "eve", "--role", "viewer");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(mode(tokens)).isEqualTo("rw-------");
        try (var files = Files.list(tokens.getParent())) {
            assertThat(files).containsExactly(tokens);
        }
    }

    @Test
    void aWorldWritableTokensFileStopsEveryCommandThatReadsIt() throws Exception {
        Path tokens = dir.resolve("state/tokens");
        assertThat(run("022", tokens, "token", "new", "--name", "ops", "--role", "operator").exit()).isZero();
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-rw-rw-"));
        String reason = "hulft-ark: tokens file " + tokens + " refused: " + tokens
                + " is writable by its group and all users (rw-rw-rw-); run 'chmod 600 " + tokens + "' after checking what it holds";

        for (String[] command : List.of(new String[] {"agent"}, new String[] {"fleet"},
                new String[] {"token", "new", "--name", "eve", "--role", "operator"})) {
            Cli.Result r = run("022", tokens, command);
            assertThat(r.exit()).as(String.join(" ", command) + ": " + r.err()).isEqualTo(1);
            assertThat(r.err().lines().toList()).as(String.join(" ", command)).containsExactly(reason);
        }
        assertThat(Files.readString(tokens)).doesNotContain("eve ");

        // A world-writable folder (what umask 000 made before) is refused the same way.
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(tokens.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Cli.Result r = run("022", tokens, "fleet");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(tokens.getParent() + " is writable by its group and all users (rwxrwxrwx); run 'chmod go-w");
    }

    @Test
    void aTokensFileOfAnotherUserStopsTheAgentAndTheFleetView() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        Path tokens = dir.resolve("state/tokens");
        assertThat(run("022", tokens, "token", "new", "--name", "ops", "--role", "operator").exit()).isZero();
        Files.setOwner(tokens, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        for (String command : List.of("agent", "fleet")) {
            Cli.Result r = run("022", tokens, command);
            assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(1);
            assertThat(r.err().lines().toList()).as(command).containsExactly("hulft-ark: tokens file " + tokens
                    + " refused: " + tokens + " belongs to nobody, not to root (this process's user) or root; make it theirs (chown root "
                    + tokens + ") after checking what it holds");
        }
    }

    @Test
    void aRunningFleetViewAcceptsNoTokenOfAFileThatBecameWritable() throws Exception {
        Path tokens = dir.resolve("fleet-state/tokens");
        try (FleetProcess fleet = new FleetProcess(Map.of(), dir.resolve("fleet-state"), tokens).start()) {
            assertThat(fleet.get("/api/v1/fleet/whoami", FleetProcess.OPERATOR).statusCode()).isEqualTo(200);

            // Another user could now have put their own operator line in: nothing of the file counts.
            Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-rw-rw-"));
            HttpResponse<String> refused = fleet.get("/api/v1/fleet/whoami", FleetProcess.OPERATOR);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(Files.readString(fleet.log)).contains("tokens file " + tokens.toAbsolutePath() + " refused: ")
                    .contains("every API call is refused until it is fixed");

            Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
            assertThat(fleet.get("/api/v1/fleet/whoami", FleetProcess.OPERATOR).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aUserWithoutANameInThePasswordFileIsTheOwnerToo() throws Exception {
        // A container run under an arbitrary uid: the process's user is the owner of /proc/self, not a name.
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv");
        int uid = 54321;
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path home = Files.createDirectory(dir.resolve("home"));
        Files.setAttribute(home, "unix:uid", uid);
        Files.setAttribute(home, "unix:gid", uid);
        Path tokens = home.resolve("state/tokens");
        List<String> cmd = List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                Cli.javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.home=" + home,
                "-Dhulftark.security.tokens-file=" + tokens, "-jar", Cli.APP.toString(),
                "token", "new", "--name", "ops", "--role", "operator");
        Cli.Result r = Cli.finish(new ProcessBuilder(cmd).start(), System.nanoTime());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.getAttribute(tokens, "unix:uid")).isEqualTo(uid);
        assertThat(mode(tokens)).isEqualTo("rw-------");
        assertThat(mode(tokens.getParent())).isEqualTo("rwx------");
    }
}
