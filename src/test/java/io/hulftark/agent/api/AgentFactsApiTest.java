package io.hulftark.agent.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.hulftark.agent.api.AgentApiTest.API;
import static io.hulftark.agent.api.AgentApiTest.invalid;
import static io.hulftark.agent.api.AgentApiTest.operator;
import static io.hulftark.agent.api.AgentApiTest.problem;
import static io.hulftark.agent.api.AgentApiTest.viewer;
import static io.hulftark.agent.api.SecretsAgentResource.SECRETS;
import static io.hulftark.agent.api.SimAgentResource.TAG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's facts over HTTP (issue 13): GET /api/v1/facts, POST /api/v1/validate, GET /api/v1/report with
 * factsDigest; and, with secrets configured under many names and kept in LifeKeeper's defaults file and hulenv.cnf,
 * not one of them in the facts or the report the agent sends.
 */
@QuarkusTest
@TestProfile(AgentFactsApiTest.Profile.class)
class AgentFactsApiTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SecretsAgentResource.class, Map.of("mode", "direct")));
        }
    }

    @Test
    void theFactsSayWhatTheNodeRunsAndHowItsKitIsSetUp() {
        JsonPath facts = viewer().get(API + "/facts").then().statusCode(200).extract().jsonPath();

        assertThat(facts.getString("digest")).matches("[0-9a-f]{64}");
        assertThat(facts.getString("jvm")).contains(System.getProperty("java.vendor"));
        assertThat(facts.getString("os")).isEqualTo(System.getProperty("os.name"));
        assertThat(facts.getString("platform")).isEqualTo("command");
        assertThat(facts.getBoolean("lifekeeper")).isTrue();
        Map<String, String> settings = facts.getMap("resources.find { it.tag == '" + TAG + "' }.settings");
        assertThat(settings).containsKeys("$exe_path", "$conf_file", "$debug", "hulenv.rcvport", "hulenv.digest",
                "probe", "LKHULFT_TIMEOUT", "LKHULFT_RETRIES", "LKHULFT_FORCE_REMOVE", "hulftark.agent.check-interval");
        assertThat(settings).containsEntry("LKHULFT_TIMEOUT", "240").containsEntry("probe", "tcp")
                .containsEntry("hulftark.agent.check-interval", "1s");
        assertThat(settings.keySet()).allSatisfy(k -> assertThat(k).matches(
                "service|startType|\\$debug|\\$exe_path|\\$conf_file|hulenv\\.[a-z]+|probe|LKHULFT_[A-Z_]+|hulftark\\..+"));
    }

    @Test
    void noSecretLeavesTheNodeWhateverItsKeyIsCalled() throws Exception {
        // After a preflight, so that its rows are in the facts too.
        operator().post(API + "/validate").then().statusCode(200);
        String facts = viewer().get(API + "/facts").then().statusCode(200).extract().asString();
        String report = viewer().get(API + "/report").then().statusCode(200).extract().asString();

        assertThat(report).contains("\"facts\"").contains("\"preflight\"");
        for (String secret : SECRETS) {
            assertThat(facts).as("GET /api/v1/facts").doesNotContain(secret);
            assertThat(report).as("the report").doesNotContain(secret);
        }
        // This JVM's own environment: nothing in it that looks like a secret goes out either.
        System.getenv().forEach((name, value) -> {
            if (name.matches("(?i).*(token|pass|secret|key|credential).*") && value.length() >= 6) {
                assertThat(report).as("environment variable " + name).doesNotContain(value);
            }
        });
    }

    @Test
    void validateRunsThePreflightNowForAnOperator() {
        problem(invalid(viewer()).post(API + "/validate"), 403, "forbidden");

        JsonPath v = operator().post(API + "/validate").then().statusCode(200).extract().jsonPath();

        assertThat(v.getList("tag", String.class)).containsExactly(TAG);
        assertThat(v.getString("[0].validatedAt")).isNotBlank();
        List<String> checks = v.getList("[0].preflight.check", String.class);
        assertThat(checks).contains("conf_file", "exe_path", "start type");
        JsonPath facts = viewer().get(API + "/facts").then().statusCode(200).extract().jsonPath();
        assertThat(facts.getString("validatedAt")).isNotBlank();
        assertThat(facts.getList("resources[0].preflight.check", String.class)).isEqualTo(checks);
        assertThat(facts.getString("resources[0].settings.startType")).isNotBlank();
    }

    @Test
    void theReportCarriesTheFactsOnlyWhenThePollersDigestIsNotTheirs() {
        Response bad = invalid(viewer()).queryParam("factsDigest", "not-a-digest").get(API + "/report");
        problem(bad, 400, "bad-request");

        assertThat(viewer().queryParam("factsDigest", "0".repeat(64)).get(API + "/report").then().statusCode(200)
                .extract().jsonPath().getString("facts.digest")).matches("[0-9a-f]{64}");
        // A preflight may end between the two requests and change the digest: then the facts rightly come again.
        boolean withoutFacts = false;
        for (int attempt = 0; attempt < 5 && !withoutFacts; attempt++) {
            String digest = viewer().get(API + "/facts").then().statusCode(200).extract().path("digest");
            JsonPath r = viewer().queryParam("factsDigest", digest).get(API + "/report").then().statusCode(200)
                    .extract().jsonPath();
            withoutFacts = r.get("facts") == null;
            if (!withoutFacts) {
                assertThat(r.getString("facts.digest")).isNotEqualTo(digest);
            }
        }
        assertThat(withoutFacts).isTrue();
    }
}
