package io.hulftark.cli;

import io.hulftark.http.security.Caller;
import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import io.hulftark.http.security.ReporterScope;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCommandTest {

    static final String KEY = "hulftark.security.tokens-file";

    @TempDir
    Path dir;

    Path file;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void pointAtATempFile() {
        file = dir.resolve("state/tokens");
        System.setProperty(KEY, file.toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty(KEY);
    }

    /**
     * As {@link Cli#execute}, with TokenCommand added by hand until it is in HulftArkCommand.SUBCOMMANDS;
     * then this can be {@code Cli.execute(args, out, err, Map.of())}.
     */
    int run(String... args) {
        CommandLine cl = Cli.commandLine(Map.of(), args);
        if (!cl.getSubcommands().containsKey("token")) {
            cl.addSubcommand(TokenCommand.class);
        }
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return code;
    }

    @Test
    void newPrintsTheTokenOnceAndStoresItsHash() throws IOException {
        int code = run("token", "new", "--name", "ops", "--role", "operator");

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString().lines()).hasSize(1);
        String token = out.toString().strip();
        assertThat(token).startsWith("hak_");
        assertThat(err.toString()).contains(file.toString()).doesNotContain(token);
        assertThat(Files.readString(file)).doesNotContain(token).contains("ops operator ");
        assertThat(new TokenStore(file).authenticate(token)).contains(new Caller("ops", Role.OPERATOR));
    }

    @Test
    void theRoleIsCaseInsensitive() {
        assertThat(run("token", "new", "--name", "eve", "--role", "Viewer")).isEqualTo(ExitCodes.OK);
        assertThat(new TokenStore(file).authenticate(out.toString().strip())).contains(new Caller("eve", Role.VIEWER));
    }

    @Test
    void anUnknownRoleIsAUsageError() {
        assertThat(run("token", "new", "--name", "ops", "--role", "admin")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines().findFirst().orElse("")).contains("'admin' is not a role");
        assertThat(out.toString()).isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void anInvalidNameIsAUsageError() {
        assertThat(run("token", "new", "--name", "a b", "--role", "viewer")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines().findFirst().orElse("")).contains("--name");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aDuplicateNameFailsWithOneLine() {
        assertThat(run("token", "new", "--name", "ops", "--role", "viewer")).isEqualTo(ExitCodes.OK);
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);

        assertThat(run("token", "new", "--name", "ops", "--role", "operator")).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("hulft-ark: ").contains("'ops' is already in");
    }

    @Test
    void helpRendersWithAHeader() {
        assertThat(run("token", "new", "--help")).isZero();
        assertThat(out.toString()).startsWith("Make a token").contains("Usage: hulft-ark token new", "--role=ROLE");
        assertThat(err.toString()).isEmpty();
        out.getBuffer().setLength(0);
        assertThat(run("token", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: hulft-ark token", "new");
    }

    @Test
    void aReporterTokenIsScopedToItsCluster() throws IOException {
        assertThat(run("token", "new", "--name", "agent-c1", "--role", "reporter", "--cluster", "c1")).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(file)).contains("agent-c1 reporter:c1 ");
        assertThat(new TokenStore(file).authenticate(out.toString().strip())).contains(
                new Caller("agent-c1", Role.REPORTER, Optional.of(new ReporterScope("c1", Optional.empty()))));
        assertThat(err.toString()).contains("(cluster c1)");
    }

    @Test
    void aReporterTokenCanBeNarrowedToOneNode() throws IOException {
        assertThat(run("token", "new", "--name", "n1", "--role", "reporter", "--cluster", "c1", "--node", "node-a"))
                .isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(file)).contains("n1 reporter:c1/node-a ");
    }

    @Test
    void aReporterWithoutClusterAndAClusterWithoutReporterAreUsageErrors() {
        assertThat(run("token", "new", "--name", "n1", "--role", "reporter")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--role reporter needs --cluster");
        assertThat(run("token", "new", "--name", "n2", "--role", "viewer", "--cluster", "c1")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("token", "new", "--name", "n3", "--role", "reporter", "--cluster", "c 1")).isEqualTo(ExitCodes.USAGE);
    }
}
