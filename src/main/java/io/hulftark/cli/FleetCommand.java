package io.hulftark.cli;

import io.hulftark.agent.AgentApplication;
import io.hulftark.app.ConfigLoader;
import io.hulftark.app.KitConfig;
import io.hulftark.app.KitContext;
import io.hulftark.app.ServerRole;
import io.hulftark.fleet.FleetConfig;
import io.hulftark.http.security.TokensFile;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "fleet", header = "Run the fleet view until stopped: reports of many agents, cluster states, history, REST, dashboard.",
        description = {"Listens on quarkus.http.port (default 8690 in the fleet profile) and serves the dashboard at /; "
                        + "health, metrics and OpenAPI on 127.0.0.1:9690 (quarkus.management.host, quarkus.management.port).",
                "Store: hulftark.fleet.store=embedded (default, a file database under hulftark.state-dir) or postgresql "
                        + "(quarkus.datasource.postgresql.*). Keys may be given as %%fleet.KEY to apply to the fleet view only.",
                "See README.md, \"Fleet view\"."})
public class FleetCommand implements Callable<Integer> {

    static final String PROFILE = "fleet";

    @ParentCommand
    HulftArkCommand top;

    @Override
    public Integer call() {
        FleetConfig config = ConfigLoader.mapping(top.env(), FleetConfig.class, PROFILE);
        KitConfig kit = ConfigLoader.load(top.env());
        // The embedded store's file goes under the state directory the tokens use; H2 takes absolute paths only.
        System.setProperty("hulftark.state-dir", KitContext.stateDir(kit, top.env()).toAbsolutePath().toString());
        // Both datasources are declared, neither active; the configured store's is activated here, at run time.
        System.setProperty("quarkus.datasource." + config.store().name().toLowerCase(Locale.ROOT) + ".active", "true");
        TokensFile.requireSafe(TokensFile.fromConfig(top.env(), PROFILE));
        System.setProperty(ServerRole.KEY, "fleet");
        if (System.getProperty("quarkus.profile") == null) {
            System.setProperty("quarkus.profile", PROFILE);
        }
        System.setProperty("quarkus.http.host-enabled", "true");
        System.setProperty("quarkus.scheduler.enabled", "true");
        Quarkus.run(AgentApplication.class);
        return ExitCodes.OK;
    }
}
