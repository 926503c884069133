package io.hulftark.cli;

import io.hulftark.http.security.ReporterScope;
import io.hulftark.http.security.Role;
import io.hulftark.http.security.TokenStore;
import io.hulftark.http.security.TokensFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "token", header = "Make credentials for the node agent's REST API.",
        description = {"The agent keeps only a SHA-256 hash of each token, in hulftark.security.tokens-file "
                + "(default: <hulftark.state-dir>/tokens), and reads that file again when it changes.",
                "A missing folder is made 0700 and the file written 0600 whatever the umask (Windows: an owner-only ACL); "
                        + "a file or folder that others may write, or that another user owns, is refused, as ssh refuses such keys."},
        subcommands = TokenCommand.New.class)
public class TokenCommand implements Runnable {

    @ParentCommand
    HulftArkCommand top;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "new", header = "Make a token for NAME with ROLE and print it, once.",
            description = "Prints the token on stdout (one line) and nothing else: it cannot be shown again, "
                    + "so store it where its user will find it. Callers send it as 'Authorization: Bearer <token>'.")
    static class New implements Callable<Integer> {

        @ParentCommand
        TokenCommand token;

        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "Who will use it (1 to 64 of A-Z a-z 0-9 . _ @ -); the agent records it with each action.")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", converter = RoleConverter.class,
                completionCandidates = RoleNames.class,
                description = "viewer (reads), operator (reads and actions) or reporter (an agent sending its "
                        + "reports to the fleet view; needs --cluster).")
        Role role;

        @Option(names = "--cluster", paramLabel = "CLUSTER",
                description = "reporter only: the cluster it may report for.")
        String cluster;

        @Option(names = "--node", paramLabel = "NODE",
                description = "reporter only: narrow it to one node of that cluster (a credential per node).")
        String node;

        @Override
        public Integer call() {
            if (!TokenStore.validName(name)) {
                throw new ParameterException(spec.commandLine(), "invalid value for --name: '" + name
                        + "' (use 1 to 64 of A-Z a-z 0-9 . _ @ -)");
            }
            Optional<ReporterScope> scope = scope();
            Path file = TokensFile.fromConfig(token.top.env());
            String secret = TokenStore.newToken();
            new TokenStore(file).add(name, role, scope, secret);
            spec.commandLine().getOut().println(secret);
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().println("hulft-ark: made a " + role.name().toLowerCase(Locale.ROOT)
                    + " token for " + name + scope.map(s -> " (" + s.describe() + ")").orElse("") + "; its hash is in " + file + " (the agent picks it up without a restart)");
            spec.commandLine().getErr().flush();
            return ExitCodes.OK;
        }

        private Optional<ReporterScope> scope() {
            if (role != Role.REPORTER) {
                if (cluster != null || node != null) {
                    throw new ParameterException(spec.commandLine(), "--cluster and --node are for --role reporter only");
                }
                return Optional.empty();
            }
            if (cluster == null) {
                throw new ParameterException(spec.commandLine(), "--role reporter needs --cluster CLUSTER");
            }
            for (String value : new String[] {cluster, node}) {
                if (value != null && !TokenStore.validName(value)) {
                    throw new ParameterException(spec.commandLine(), "invalid cluster or node name '" + value
                            + "' (use 1 to 64 of A-Z a-z 0-9 . _ @ -)");
                }
            }
            return Optional.of(new ReporterScope(cluster, Optional.ofNullable(node)));
        }
    }

    static final class RoleNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("viewer", "operator", "reporter").iterator();
        }
    }

    static final class RoleConverter implements ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "viewer" -> Role.VIEWER;
                case "operator" -> Role.OPERATOR;
                case "reporter" -> Role.REPORTER;
                default -> throw new TypeConversionException("'" + value
                        + "' is not a role: use viewer, operator or reporter");
            };
        }
    }
}
