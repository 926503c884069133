package io.hulftark.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hulftark.app.ServerRole;
import io.restassured.RestAssured;
import io.restassured.config.ObjectMapperConfig;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Every REST-assured request of every test, and its response, checked against the contract of the service the
 * test runs: openapi/fleet.yaml in the fleet role, openapi/agent.yaml in the agent's (a path of the other role is
 * not in the contract: an invalid request).
 * A request or response the contract does not describe fails the test ({@code OpenApiValidationException}).
 * {@link ContractValidation} installs it for every test class (JUnit extension autodetection).
 *
 * <p>A test that sends an invalid request on purpose (no token, a bad parameter, a malformed body) says so with
 * {@code given().filter(Contract.INVALID_REQUEST)}: only its response is checked. Paths outside /api/v1 (health,
 * metrics, the OpenAPI document, the dashboard) are not checked here.
 */
public final class Contract implements OrderedFilter {

    /** Marks a request that breaks the contract on purpose: only the response is checked. */
    public static final Filter INVALID_REQUEST = new Marker();

    static final Contract INSTANCE = new Contract();

    /** Path prefixes that a test class serves itself and that no contract describes (see {@link NotInContract}). */
    static volatile Set<String> outside = Set.of();
    static volatile boolean fleetRole;

    private final Api agent = new Api(Path.of("openapi", "agent.yaml"));
    private final Api fleet = new Api(Path.of("openapi", "fleet.yaml"));

    private Contract() {
    }

    /** Makes the contract a default filter of REST-assured for the tests of {@code test}. */
    public static void install(Class<?> test) {
        NotInContract own = test.getAnnotation(NotInContract.class);
        outside = own == null ? Set.of() : Set.of(own.value());
        fleetRole = ServerRole.current() == ServerRole.FLEET; // the application of this @QuarkusTest (its config)
        // The contract types instants as ISO-8601 strings; REST-assured's own Jackson would send numbers.
        RestAssured.config = RestAssured.config().objectMapperConfig(ObjectMapperConfig.objectMapperConfig()
                .jackson2ObjectMapperFactory((type, charset) -> new ObjectMapper().findAndRegisterModules()
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)));
        if (!RestAssured.filters().contains(INSTANCE)) {
            RestAssured.filters(INSTANCE);
        }
    }

    @Override
    public int getOrder() {
        return OrderedFilter.HIGHEST_PRECEDENCE; // sees the request as sent and the response as received
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                           FilterContext ctx) {
        String path = URI.create(request.getURI()).getRawPath();
        if (!(path.equals("/api/v1") || path.startsWith("/api/v1/")) || outside.stream().anyMatch(path::startsWith)) {
            return ctx.next(request, response);
        }
        Api api = fleetRole ? fleet : agent;
        boolean invalid = request.getDefinedFilters().stream().anyMatch(f -> f == INVALID_REQUEST);
        return (invalid ? api.responseOnly() : api.full()).filter(request, response, ctx);
    }

    /** One document, read once, with a validator for requests and responses and one for responses only. */
    private static final class Api {
        private final Path file;
        private OpenApiValidationFilter full;
        private OpenApiValidationFilter responseOnly;

        Api(Path file) {
            this.file = file;
        }

        synchronized OpenApiValidationFilter full() {
            if (full == null) {
                full = new OpenApiValidationFilter(validator(LevelResolver.create()));
            }
            return full;
        }

        synchronized OpenApiValidationFilter responseOnly() {
            if (responseOnly == null) {
                responseOnly = new OpenApiValidationFilter(validator(LevelResolver.create()
                        .withLevel("validation.request", ValidationReport.Level.IGNORE)));
            }
            return responseOnly;
        }

        private OpenApiInteractionValidator validator(LevelResolver.Builder levels) {
            try {
                return OpenApiInteractionValidator
                        .createForInlineApiSpecification(Files.readString(file, StandardCharsets.UTF_8))
                        .withLevelResolver(levels.build())
                        .build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class Marker implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                               FilterContext ctx) {
            return ctx.next(request, response);
        }
    }
}
