package io.hulftark.agent.api;

import io.hulftark.http.Problem;

import io.hulftark.contract.Contract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.hulftark.agent.api.SimAgentResource.OPERATOR_TOKEN;
import static io.hulftark.agent.api.SimAgentResource.TAG;
import static io.hulftark.agent.api.SimAgentResource.VIEWER_TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzzer's stand-in for the agent: per operation, malformed ids and numbers, fractions, wrong JSON types, wrong
 * content types, oversized texts, missing fields and unknown enum values. Each is a 4xx problem that the contract
 * declares for the operation (the answer is validated against openapi/agent.yaml), never a 500, and acts on nothing.
 */
@QuarkusTest
@TestProfile(AgentApiTest.Profile.class) // the same application as AgentApiTest: booted once for both
class AgentBadInputTest {

    static final String API = "/api/v1";
    static final String RESOURCE = API + "/resources/" + TAG;

    /** One bad request: what it is, how to send it, the status and the words the detail must hold. */
    record Case(String what, String method, String path, String contentType, String body, int status, String detail) { }

    static final List<Case> CASES = List.of(
            new Case("limit a word", "GET", RESOURCE + "/checks?limit=abc", null, null, 400, "limit"),
            new Case("limit a fraction", "GET", RESOURCE + "/checks?limit=1.5", null, null, 400, "limit"),
            new Case("limit negative", "GET", RESOURCE + "/actions?limit=-1", null, null, 400, "limit"),
            new Case("limit beyond a long", "GET", API + "/events?limit=99999999999999999999", null, null, 400, "limit"),
            new Case("limit with a plus", "GET", API + "/events?limit=%2B5", null, null, 400, "limit"),
            new Case("since garbled", "GET", API + "/events?since=12ab", null, null, 400, "since"),
            new Case("after an exponent", "GET", API + "/report?after=1e3", null, null, 400, "after"),
            new Case("action as text/plain", "POST", RESOURCE + "/actions", "text/plain",
                    "{\"action\":\"quickCheck\"}", 415, "content type"),
            new Case("action as XML", "POST", RESOURCE + "/actions", "application/xml", "<action/>", 415, "content type"),
            new Case("action a number", "POST", RESOURCE + "/actions", "application/json", "{\"action\":5}", 400, "action"),
            new Case("action a list", "POST", RESOURCE + "/actions", "application/json", "{\"action\":[\"quickCheck\"]}",
                    400, "request body"),
            new Case("action null", "POST", RESOURCE + "/actions", "application/json", "{\"action\":null}", 400, "action"),
            new Case("action missing", "POST", RESOURCE + "/actions", "application/json", "{}", 400, "action"),
            new Case("action unknown", "POST", RESOURCE + "/actions", "application/json", "{\"action\":\"reboot\"}", 400,
                    "reboot"),
            new Case("reason a number", "POST", RESOURCE + "/actions", "application/json",
                    "{\"action\":\"quickCheck\",\"reason\":5}", 400, "reason"),
            new Case("reason a boolean", "POST", RESOURCE + "/actions", "application/json",
                    "{\"action\":\"quickCheck\",\"reason\":true}", 400, "reason"),
            new Case("reason too long", "POST", RESOURCE + "/actions", "application/json",
                    "{\"action\":\"quickCheck\",\"reason\":\"" + "r".repeat(501) + "\"}", 400, "500"),
            new Case("trailing garbage", "POST", RESOURCE + "/actions", "application/json",
                    "{\"action\":\"quickCheck\"} {\"action\":\"restore\"}", 400, "request body"),
            new Case("a bare string", "POST", RESOURCE + "/actions", "application/json", "\"quickCheck\"", 400,
                    "request body"),
            new Case("a JSON null", "POST", RESOURCE + "/actions", "application/json", "null", 400, "action"),
            new Case("an unknown tag", "POST", API + "/resources/no-such/actions", "application/json",
                    "{\"action\":\"quickCheck\"}", 404, "no-such"),
            new Case("an unknown action id", "GET", API + "/actions/" + "9".repeat(40), null, null, 404, "no action"));

    @Test
    void everyBadInputIsADeclaredProblemAndActsOnNothing() {
        int before = actions();
        for (Case c : CASES) {
            RequestSpecification r = given().filter(Contract.INVALID_REQUEST).urlEncodingEnabled(false)
                    .header("Authorization", "Bearer " + OPERATOR_TOKEN);
            if (c.contentType() != null) {
                r = r.contentType(c.contentType());
            } else if (c.body() != null) {
                r = r.noContentType();
            }
            if (c.body() != null) {
                r = r.body(c.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)); // as is, whatever the type
            }
            Response answer = r.request(c.method(), c.path());
            assertThat(answer.statusCode()).as(c.what() + ": " + answer.asString()).isEqualTo(c.status());
            assertThat(answer.contentType()).as(c.what()).startsWith(Problem.MEDIA_TYPE);
            assertThat(answer.<String>path("detail")).as(c.what()).contains(c.detail()).doesNotContain("\n");
        }
        assertThat(actions()).as("actions recorded by bad requests").isEqualTo(before);
    }

    @Test
    void optionsNamesThePathsMethodsAndA405TooInAllow() {
        Response options = given().filter(Contract.INVALID_REQUEST).header("Authorization", "Bearer " + VIEWER_TOKEN)
                .options(RESOURCE + "/actions");
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.header("Allow")).isEqualTo("GET, HEAD, OPTIONS, POST");
        assertThat(given().filter(Contract.INVALID_REQUEST).header("Authorization", "Bearer " + VIEWER_TOKEN)
                .options(API + "/node").header("Allow")).isEqualTo("GET, HEAD, OPTIONS");

        Response notAllowed = given().filter(Contract.INVALID_REQUEST).header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .delete(API + "/node");
        assertThat(notAllowed.statusCode()).isEqualTo(405);
        assertThat(notAllowed.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(notAllowed.<String>path("detail")).contains("DELETE").contains("GET");
        assertThat(given().filter(Contract.INVALID_REQUEST).header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .put(RESOURCE + "/check").header("Allow")).isEqualTo("OPTIONS, POST");
    }

    /** Java's HttpClient sends no Content-Type unless told: the body is refused, not read as JSON anyway. */
    @Test
    void aBodyWithoutContentTypeIs415() throws Exception {
        int before = actions();
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + io.restassured.RestAssured.port + RESOURCE + "/actions"))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"action\":\"quickCheck\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).as(r.body()).hasValueSatisfying(t -> assertThat(t)
                .startsWith(Problem.MEDIA_TYPE));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(415);
        assertThat(r.body()).contains("Content-Type is missing");
        assertThat(actions()).as("actions recorded").isEqualTo(before);
    }

    static int actions() {
        return given().header("Authorization", "Bearer " + VIEWER_TOKEN).queryParam("limit", 1000)
                .get(RESOURCE + "/actions").then().statusCode(200).extract().path("size()");
    }
}
