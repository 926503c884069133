package io.hulftark.agent;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

/** A long-running service (the node agent or the fleet view): Quarkus with its HTTP server, until stopped. */
public class AgentApplication implements QuarkusApplication {

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }
}
