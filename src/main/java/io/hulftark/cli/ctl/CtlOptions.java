package io.hulftark.cli.ctl;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** The options every ctl command shares: where the fleet view is, where the token is, and --json. */
public final class CtlOptions {

    public static final String DEFAULT_URL = "http://127.0.0.1:8690";
    public static final String URL_ENV = "HULFTARK_URL";
    public static final String TOKEN_ENV = "HULFTARK_TOKEN";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL",
            description = "The fleet view (default: $HULFTARK_URL, else " + DEFAULT_URL + "); no user or password in it.")
    String url;

    @Option(names = "--token-env", paramLabel = "NAME", defaultValue = TOKEN_ENV,
            description = "The environment variable that holds the token (default: ${DEFAULT-VALUE}). "
                    + "The token itself is never an option: it would show in ps and in the shell's history.")
    String tokenEnv;

    /** Caught so that a token typed on the command line is refused without being echoed in the error. */
    @Option(names = "--token", hidden = true, arity = "0..1", paramLabel = "TOKEN")
    String token;

    @Option(names = "--json", description = "Print the fleet view's JSON instead of a table.")
    public boolean json;

    /** The client for these options; a usage error (exit 2) for a bad URL or a token on the command line. */
    public FleetClient client(Map<String, String> env) {
        if (token != null) {
            throw new ParameterException(spec.commandLine(), "--token is not an option: put the token in the environment "
                    + "(" + TOKEN_ENV + ", or the variable --token-env names), never on the command line");
        }
        if (!tokenEnv.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
            throw new ParameterException(spec.commandLine(), "--token-env takes the name of an environment variable, "
                    + "not '" + Render.cut(tokenEnv, 40) + "'");
        }
        String u = url != null ? url : Optional.ofNullable(env.get(URL_ENV)).filter(s -> !s.isBlank()).orElse(DEFAULT_URL);
        URI base;
        try {
            base = FleetClient.parseUrl(u);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), (url != null ? "--url: " : URL_ENV + ": ") + e.getMessage());
        }
        Optional<String> t = Optional.ofNullable(env.get(tokenEnv)).map(String::strip).filter(s -> !s.isEmpty());
        return new FleetClient(base, t, tokenEnv);
    }
}
