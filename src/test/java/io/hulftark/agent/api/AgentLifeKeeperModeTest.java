package io.hulftark.agent.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.hulftark.agent.api.AgentApiTest.API;
import static io.hulftark.agent.api.AgentApiTest.act;
import static io.hulftark.agent.api.AgentApiTest.action;
import static io.hulftark.agent.api.AgentApiTest.awaitEnd;
import static io.hulftark.agent.api.AgentApiTest.operator;
import static io.hulftark.agent.api.AgentApiTest.viewer;
import static io.hulftark.agent.api.SimAgentResource.TAG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Without hulftark.agent.action-mode, an agent on a node where LifeKeeper is installed (LKROOT has
 * bin/perform_action) acts through LifeKeeper, except quickCheck, which is no perform_action action.
 */
@QuarkusTest
@TestProfile(AgentLifeKeeperModeTest.Profile.class)
class AgentLifeKeeperModeTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SimAgentResource.class, Map.of("mode", "lifekeeper")));
        }
    }

    @ConfigProperty(name = "hulftark.lifekeeper.root")
    Path lkroot;

    @Test
    void theDefaultModeIsLifeKeeperWherePerformActionExists() {
        viewer().get(API + "/node").then().statusCode(200).body("actionMode", equalTo("lifekeeper"));
    }

    @Test
    void aRestoreGoesThroughPerformAction() throws InterruptedException, IOException {
        String id = act(operator(), TAG, action("restore", "through LifeKeeper")).then().statusCode(202)
                .body("mode", equalTo("lifekeeper")).extract().path("id");
        JsonPath done = awaitEnd(id);
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("SUCCEEDED");
        assertThat(done.getString("mode")).isEqualTo("lifekeeper");
        assertThat(done.getInt("exitCode")).isZero();
        assertThat(Files.readString(lkroot.resolve(SimAgentResource.PERFORM_ACTION_LOG))).isEqualTo("-t hulft -a restore\n");
    }

    @Test
    void aQuickCheckRunsTheKitDirectly() throws InterruptedException {
        String id = act(operator(), TAG, action("quickCheck", "not a LifeKeeper action")).then().statusCode(202)
                .body("mode", equalTo("direct")).extract().path("id");
        JsonPath done = awaitEnd(id);
        assertThat(done.getString("mode")).isEqualTo("direct");
        // The simulated service is stopped (perform_action here only takes notes): the kit's quickCheck says so.
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("FAILED");
        assertThat(done.getInt("exitCode")).isEqualTo(1);
    }
}
