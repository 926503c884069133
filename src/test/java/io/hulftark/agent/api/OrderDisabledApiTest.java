package io.hulftark.agent.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.hulftark.agent.api.AgentApiTest.API;
import static io.hulftark.agent.api.AgentApiTest.operator;
import static io.hulftark.agent.api.AgentApiTest.problem;
import static io.hulftark.agent.api.AgentApiTest.viewer;
import static io.hulftark.agent.api.OrderApiTest.deliver;
import static io.hulftark.agent.api.OrderApiTest.order;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** An agent that does not take fleet actions (the default): it refuses every order, says why, and reports it. */
@QuarkusTest
@TestProfile(AgentApiTest.Profile.class)
class OrderDisabledApiTest {

    @Test
    void everyOrderIsRefusedAndTheReportSaysSo() {
        String node = viewer().get(API + "/node").then().statusCode(200).body("fleetActions", equalTo(false))
                .extract().path("node");
        String id = "ord-" + UUID.randomUUID();
        problem(deliver(operator(), order(id, node, SimAgentResource.TAG, "restore")), 403, "actions-not-allowed")
                .body("detail", equalTo("fleet actions are not allowed on this node "
                        + "(hulftark.agent.fleet-actions.enabled=false)"));
        viewer().get(API + "/actions/{id}", id).then().statusCode(200).body("state", equalTo("REFUSED"));
        viewer().get(API + "/report?after=0").then().statusCode(200)
                .body("fleetActions", equalTo(false))
                .body("events.action.id", hasItem(id));
    }
}
