package io.hulftark.agent.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.hulftark.agent.api.AgentApiTest.API;
import static io.hulftark.agent.api.AgentApiTest.awaitEnd;
import static io.hulftark.agent.api.AgentApiTest.operator;
import static io.hulftark.agent.api.AgentApiTest.viewer;
import static io.hulftark.agent.api.OrderApiTest.deliver;
import static io.hulftark.agent.api.OrderApiTest.order;
import static io.hulftark.agent.api.SimAgentResource.NODE;
import static io.hulftark.agent.api.SimAgentResource.TAG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * An order of the fleet view on a node where LifeKeeper manages the resource runs the way a REST action does there:
 * through LifeKeeper's perform_action, so that LifeKeeper's own view stays true; the report says so.
 */
@QuarkusTest
@TestProfile(OrderLifeKeeperModeTest.Profile.class)
class OrderLifeKeeperModeTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SimAgentResource.class, Map.of("mode", "lifekeeper",
                    "fleet-actions", "true")));
        }
    }

    @ConfigProperty(name = "hulftark.lifekeeper.root")
    Path lkroot;

    @Test
    void anOrderGoesThroughPerformAction() throws Exception {
        viewer().get(API + "/report?after=0").then().statusCode(200).body("actionsVia", equalTo("lifekeeper"));
        String id = "ord-lk-1";
        deliver(operator(), order(id, NODE, TAG, "restore")).then().statusCode(202).body("mode", equalTo("lifekeeper"));
        JsonPath done = awaitEnd(id);
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("SUCCEEDED");
        assertThat(done.getString("requestedBy")).isEqualTo("fleet:alice");
        assertThat(Files.readString(lkroot.resolve(SimAgentResource.PERFORM_ACTION_LOG))).isEqualTo("-t hulft -a restore\n");
        // Delivered again: perform_action is not called again.
        deliver(operator(), order(id, NODE, TAG, "restore")).then().statusCode(200);
        assertThat(Files.readString(lkroot.resolve(SimAgentResource.PERFORM_ACTION_LOG))).isEqualTo("-t hulft -a restore\n");
    }
}
