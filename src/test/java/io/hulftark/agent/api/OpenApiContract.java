package io.hulftark.agent.api;

import io.hulftark.app.Management;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file under openapi/ is a contract: it must equal what the running service serves at /q/openapi (on the
 * management interface). After a
 * deliberate change of an API, rewrite the files with {@code ./mvnw test -Dtest='*OpenApiContractTest'
 * -Dopenapi.update=true} and review the diff.
 */
public final class OpenApiContract {

    private OpenApiContract() {
    }

    /** @return the served document, equal to {@code contract} */
    public static String check(Path contract) throws IOException {
        String served = given().accept("application/yaml").get(Management.url("/q/openapi")).then().statusCode(200).extract().asString();
        if (Boolean.getBoolean("openapi.update")) {
            Files.writeString(contract, served, StandardCharsets.UTF_8);
        }
        assertThat(served).as("the served OpenAPI document differs from " + contract
                + " (see OpenApiContract's comment to update it)")
                .isEqualTo(Files.readString(contract, StandardCharsets.UTF_8));
        return served;
    }
}
