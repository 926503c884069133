package io.hulftark.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property that is an object of a named schema or null (a resource's lastCheck before its first check) takes
 * both in the contract, as the agent answers both: "nullable" next to a $ref would let no null through.
 */
class NullableReferenceTest {

    private static ValidationReport validate(String lastCheck) throws Exception {
        OpenApiInteractionValidator v = OpenApiInteractionValidator.createForInlineApiSpecification(
                Files.readString(Path.of("openapi/agent.yaml"), StandardCharsets.UTF_8)).build();
        String body = "{\"tag\":\"hulft\",\"service\":\"HULFT8\",\"status\":\"RUNNING\",\"since\":\"2026-12-06T10:00:00Z\","
                + "\"reason\":\"all ports answer\",\"role\":\"active\",\"lastCheck\":" + lastCheck + "}";
        return v.validateResponse("/api/v1/resources/hulft", Request.Method.GET, SimpleResponse.Builder.ok()
                .withContentType("application/json").withBody(body.getBytes(StandardCharsets.UTF_8)).build());
    }

    @Test
    void lastCheckMayBeNullOrACheckButNotAnythingElse() throws Exception {
        assertThat(validate("null").getMessages()).as("null before the first check").isEmpty();
        assertThat(validate("\"soon\"").hasErrors()).as("a string is neither").isTrue();
    }
}
