package io.hulftark.agent.api;

import io.hulftark.http.ProblemException;
import io.hulftark.http.Params;
import io.hulftark.http.Routes;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Params}' whole numbers and {@link Routes}' methods per path, without Quarkus. */
class ParamsAndRoutesTest {

    @Test
    void aWholeNumberInItsRangeIsReadAndAnythingElseIsA400NamingTheParameter() {
        assertThat(Params.whole("page", null, 7, 0, 10)).isEqualTo(7);
        assertThat(Params.whole("page", " 3 ", 7, 0, 10)).isEqualTo(3);
        assertThat(Params.whole("id", "-5", 0L, -10L, 10L)).isEqualTo(-5L);
        assertThat(Params.whole("id", "9223372036854775807", 0L, 0L, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        for (String bad : List.of("", "x", "1.5", "1e3", "+5", "-", "11", "-1", "0x1", "99999999999999999999", "1 2")) {
            assertThatThrownBy(() -> Params.whole("page", bad, 0, 0, 10)).as(bad)
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).startsWith("page must be a whole number from 0 to 10");
                    });
        }
        assertThatThrownBy(() -> Params.whole("page", "a\nb", 0, 0, 10)).hasMessageNotContaining("\n");
    }

    // Never an endpoint of a @QuarkusTest application (no profile sets the property): only read by Routes here.
    @io.quarkus.arc.properties.IfBuildProperty(name = "test.hulftark.things-resource", stringValue = "true")
    @Path("/api/v1/things")
    static class Things {
        @GET
        public void list() { }

        @POST
        public void add() { }

        @DELETE
        @Path("{id}")
        public void remove() { }

        @GET
        @Path("/{id: [0-9]+}/parts")
        public void parts() { }
    }

    @Test
    void routesNameTheMethodsOfThePathAskedAbout() {
        Routes routes = new Routes(List.of(Things.class, String.class));
        assertThat(routes.allowed("/api/v1/things")).containsExactly("GET", "HEAD", "OPTIONS", "POST");
        assertThat(routes.allowed("/api/v1/things/")).containsExactly("GET", "HEAD", "OPTIONS", "POST");
        assertThat(routes.allowed("/api/v1/things/abc")).containsExactly("DELETE", "OPTIONS");
        assertThat(routes.allowed("/api/v1/things/12/parts")).containsExactly("GET", "HEAD", "OPTIONS");
        assertThat(routes.allowed("/api/v1/things/ab/parts")).isEmpty();
        assertThat(routes.allowed("/api/v1/other")).isEmpty();
    }
}
