package io.hulftark.cli;

import io.hulftark.agent.AgentApplication;
import io.hulftark.http.security.TokensFile;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "agent", header = "Run the node agent until stopped: scheduled checks, REST API, health, metrics.",
        description = "Listens on quarkus.http.port (default 8686); health, metrics and OpenAPI on 127.0.0.1:9686 "
                + "(quarkus.management.host, quarkus.management.port). See README.md, \"Node agent\", for its keys.")
public class AgentCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        TokensFile.requireSafe(TokensFile.fromConfig(System.getenv()));
        // The only command that boots Quarkus: the HTTP server and the scheduler are the agent.
        System.setProperty("quarkus.http.host-enabled", "true");
        System.setProperty("quarkus.scheduler.enabled", "true");
        Quarkus.run(AgentApplication.class);
        return ExitCodes.OK;
    }
}
