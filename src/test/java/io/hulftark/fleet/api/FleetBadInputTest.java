package io.hulftark.fleet.api;

import io.hulftark.http.Problem;
import io.hulftark.contract.Contract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzzer's stand-in for the fleet view: per operation, malformed ids and numbers, fractions, wrong JSON types,
 * wrong content types, oversized texts, missing fields, unknown enum values, and writes on a cluster that never
 * reported. Each is a 4xx problem that the contract declares (the answer is validated against openapi/fleet.yaml),
 * never a 500, and changes nothing.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
class FleetBadInputTest {

    static final String API = "/api/v1/fleet";
    static final String NOW = Instant.now().toString();
    static final String LATER = Instant.now().plusSeconds(3600).toString();

    record Case(String what, String token, String method, String path, String contentType, String body, int status,
                String detail) { }

    /** A report of node a9 of alpha with {@code seq} and {@code extra} members as given. */
    static String report(String seq, String extra) {
        return "{\"cluster\":\"alpha\",\"node\":\"a9\",\"agentVersion\":\"t\",\"agentStartedAt\":\"" + NOW
                + "\",\"seq\":" + seq + ",\"sentAt\":\"" + NOW + "\"" + extra + "}";
    }

    static final String OP = FleetProfile.OPERATOR;
    static final String VIEW = FleetProfile.VIEWER;
    static final String REP = FleetProfile.ALPHA;
    static final String JSON = "application/json";
    static final String ACK = "{\"comment\":\"x\",\"until\":\"" + LATER + "\"}";

    static final List<Case> CASES = List.of(
            // ids and query numbers: 400 naming the parameter, not JAX-RS's 404
            new Case("ack id a word", OP, "DELETE", API + "/clusters/alpha/acknowledgements/abc", null, null, 400, "id"),
            new Case("ack id a fraction", OP, "DELETE", API + "/clusters/alpha/acknowledgements/1.5", null, null, 400, "id"),
            new Case("ack id 0", OP, "DELETE", API + "/clusters/alpha/acknowledgements/0", null, null, 400, "id"),
            new Case("window id negative", OP, "DELETE", API + "/clusters/alpha/maintenance/-3", null, null, 400, "id"),
            new Case("afterId a word", VIEW, "GET", API + "/events?afterId=x", null, null, 400, "afterId"),
            new Case("limit a fraction", VIEW, "GET", API + "/events?limit=2.5", null, null, 400, "limit"),
            new Case("page negative", VIEW, "GET", API + "/clusters?page=-1", null, null, 400, "page"),
            new Case("size a word", VIEW, "GET", API + "/clusters?size=ten", null, null, 400, "size"),
            new Case("history an exponent", VIEW, "GET", API + "/clusters/alpha?history=1e2", null, null, 400, "history"),
            new Case("state unknown", VIEW, "GET", API + "/clusters?state=ON_FIRE", null, null, 400, "state"),
            new Case("q too long", VIEW, "GET", API + "/clusters?q=" + "q".repeat(65), null, null, 400, "q"),
            new Case("stream afterId a word", VIEW, "GET", API + "/stream?afterId=x", null, null, 400, "afterId"),
            // operator writes on a cluster that never reported: 404, never a 500
            new Case("ack removal, unknown cluster", OP, "DELETE", API + "/clusters/never-seen/acknowledgements/1", null,
                    null, 404, "never-seen"),
            new Case("window removal, unknown cluster", OP, "DELETE", API + "/clusters/never-seen/maintenance/1", null,
                    null, 404, "never-seen"),
            new Case("forget a node, unknown cluster", OP, "DELETE", API + "/clusters/never-seen/nodes/n1", null, null,
                    404, "never-seen"),
            new Case("ack, unknown cluster", OP, "POST", API + "/clusters/never-seen/acknowledgements", JSON, ACK, 404,
                    "never-seen"),
            new Case("window, unknown cluster", OP, "POST", API + "/clusters/never-seen/maintenance", JSON,
                    "{\"until\":\"" + LATER + "\",\"reason\":\"x\"}", 404, "never-seen"),
            // bodies
            new Case("seq a fraction", REP, "POST", API + "/reports", JSON, report("1.5", ""), 400, "request body"),
            new Case("seq a string", REP, "POST", API + "/reports", JSON, report("\"5\"", ""), 400, "request body"),
            new Case("seq beyond a long", REP, "POST", API + "/reports", JSON, report("9223372036854775808", ""), 400,
                    "request body"),
            new Case("an instant a number", REP, "POST", API + "/reports", JSON,
                    report("1", ",\"events\":[{\"seq\":1,\"at\":1700000000,\"type\":\"transition\",\"text\":\"x\"}]"),
                    400, "request body"),
            new Case("a status unknown", REP, "POST", API + "/reports", JSON,
                    report("1", ",\"resources\":[{\"tag\":\"HULFT\",\"status\":\"BROKEN\",\"role\":\"active\"}]"), 400,
                    "request body"),
            new Case("a status by number", REP, "POST", API + "/reports", JSON,
                    report("1", ",\"resources\":[{\"tag\":\"HULFT\",\"status\":0,\"role\":\"active\"}]"), 400,
                    "request body"),
            new Case("resources an object", REP, "POST", API + "/reports", JSON, report("1", ",\"resources\":{}"), 400,
                    "request body"),
            new Case("a node that is no name", REP, "POST", API + "/reports", JSON,
                    report("1", "").replace("\"a9\"", "\"a 9\""), 422, "node"),
            new Case("a report as text/plain", REP, "POST", API + "/reports", "text/plain", report("1", ""), 415,
                    "content type"),
            new Case("until a number", OP, "POST", API + "/clusters/alpha/acknowledgements", JSON,
                    "{\"comment\":\"x\",\"until\":4102444800}", 400, "request body"),
            new Case("until garbled", OP, "POST", API + "/clusters/alpha/acknowledgements", JSON,
                    "{\"comment\":\"x\",\"until\":\"tomorrow\"}", 400, "request body"),
            new Case("comment missing", OP, "POST", API + "/clusters/alpha/acknowledgements", JSON,
                    "{\"until\":\"" + LATER + "\"}", 400, "comment"),
            new Case("comment too long", OP, "POST", API + "/clusters/alpha/acknowledgements", JSON,
                    "{\"comment\":\"" + "c".repeat(501) + "\",\"until\":\"" + LATER + "\"}", 400, "comment"),
            new Case("comment a number", OP, "POST", API + "/clusters/alpha/acknowledgements", JSON,
                    "{\"comment\":7,\"until\":\"" + LATER + "\"}", 400, "request body"),
            new Case("an ack as text/plain", OP, "POST", API + "/clusters/alpha/acknowledgements", "text/plain", ACK, 415,
                    "content type"),
            new Case("reason missing", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    "{\"until\":\"" + LATER + "\"}", 400, "reason"),
            new Case("ack sticky a word", OP, "POST", API + "/clusters/alpha/acknowledgements", JSON,
                    "{\"comment\":\"x\",\"sticky\":\"very\"}", 400, "request body"),
            new Case("weekly window, zone unknown", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    weekly("[\"SUNDAY\"]", "02:00", "PT2H", "Europe/Berln"), 400,
                    "zone must be an IANA time zone such as Europe/Berlin, not 'Europe/Berln'"),
            new Case("weekly window, zone a fixed offset", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    weekly("[\"SUNDAY\"]", "02:00", "PT2H", "+01:00"), 400, "zone must be an IANA time zone"),
            new Case("weekly window, day unknown", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    weekly("[\"SUNDAE\"]", "02:00", "PT2H", "Europe/Berlin"), 400,
                    "days must hold day names such as SUNDAY or SUN, not 'SUNDAE'"),
            new Case("weekly window, no day", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    weekly("[]", "02:00", "PT2H", "Europe/Berlin"), 400, "days must name at least one day"),
            new Case("weekly window, a day not a string", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    weekly("[7]", "02:00", "PT2H", "Europe/Berlin"), 400, "request body"),
            new Case("weekly window, duration zero", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    weekly("[\"SUNDAY\"]", "02:00", "PT0S", "Europe/Berlin"), 400,
                    "duration must be more than 0 and at most 7 days"),
            new Case("weekly window, duration over 7 days", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    weekly("[\"SUNDAY\"]", "02:00", "P7DT1S", "Europe/Berlin"), 400,
                    "duration must be more than 0 and at most 7 days"),
            new Case("weekly window, duration not ISO-8601", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    weekly("[\"SUNDAY\"]", "02:00", "2 hours", "Europe/Berlin"), 400,
                    "duration must be an ISO-8601 duration such as PT2H"),
            new Case("weekly window, start not a time", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    weekly("[\"SUNDAY\"]", "25:00", "PT2H", "Europe/Berlin"), 400,
                    "start must be a time of day such as 02:00"),
            new Case("weekly window, start missing", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    "{\"reason\":\"x\",\"days\":[\"SUNDAY\"],\"duration\":\"PT2H\",\"zone\":\"UTC\"}", 400,
                    "start is missing"),
            new Case("weekly window, series ending in the past", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    weekly("[\"SUNDAY\"]", "02:00", "PT2H", "UTC").replace("}", ",\"until\":\"2000-01-01T00:00:00Z\"}"),
                    400, "until must be in the future"),
            new Case("one-off window without until", OP, "POST", API + "/clusters/alpha/maintenance", JSON,
                    "{\"reason\":\"x\"}", 400, "until is missing"),
            new Case("windows of an unknown cluster", VIEW, "GET", API + "/clusters/never-seen/maintenance", null, null,
                    404, "never-seen"));

    /** A weekly window's body with these members as given. */
    static String weekly(String days, String start, String duration, String zone) {
        return "{\"reason\":\"patch\",\"days\":" + days + ",\"start\":\"" + start + "\",\"duration\":\""
                + duration + "\",\"zone\":\"" + zone + "\"}";
    }

    @Test
    void everyBadInputIsADeclaredProblemAndChangesNothing() {
        String before = given().header("Authorization", "Bearer " + VIEW).get(API + "/summary").then().statusCode(200)
                .extract().path("lastEventId").toString();
        for (Case c : CASES) {
            RequestSpecification r = given().filter(Contract.INVALID_REQUEST).urlEncodingEnabled(false)
                    .header("Authorization", "Bearer " + c.token());
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
        assertThat(given().header("Authorization", "Bearer " + VIEW).get(API + "/summary").then().extract()
                .path("lastEventId").toString()).as("events recorded by bad requests").isEqualTo(before);
    }

    @Test
    void optionsNamesThePathsMethodsAndA405TooInAllow() {
        Response options = given().filter(Contract.INVALID_REQUEST).header("Authorization", "Bearer " + VIEW)
                .options(API + "/clusters/alpha/acknowledgements/1");
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.header("Allow")).isEqualTo("DELETE, OPTIONS");
        Response notAllowed = given().filter(Contract.INVALID_REQUEST).header("Authorization", "Bearer " + OP)
                .put(API + "/summary");
        assertThat(notAllowed.statusCode()).isEqualTo(405);
        assertThat(notAllowed.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(given().filter(Contract.INVALID_REQUEST).header("Authorization", "Bearer " + OP)
                .put(API + "/clusters/alpha/maintenance").header("Allow")).isEqualTo("GET, HEAD, OPTIONS, POST");
    }
}
