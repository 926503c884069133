package io.hulftark.app;

import io.hulftark.http.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each role serves the OpenAPI document of its own API: the agent's paths (openapi/agent.yaml) or the fleet
 * view's (openapi/fleet.yaml), with only the schemas those paths use. The operations' annotations name their
 * success and their own problems; here each also gets the problems that follow from its shape (a body: 400, 415,
 * 429; parameters: 400; a path parameter: 404), and every problem the problem+json schema.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class RoleOpenApiFilter implements OASFilter {

    private static final String SCHEMAS = "#/components/schemas/";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        ServerRole role = ServerRole.current();
        if (api.getPaths() != null && api.getPaths().getPathItems() != null) {
            for (String path : List.copyOf(api.getPaths().getPathItems().keySet())) {
                if (!RoleRoutes.belongs(role, path)) {
                    api.getPaths().removePathItem(path);
                }
            }
        }
        if (role == ServerRole.FLEET && api.getInfo() != null) {
            api.getInfo().title("hulft-ark fleet view").description("The state of every HULFT cluster: agents' reports "
                    + "in, cluster states, history, acknowledgements, maintenance windows and a live stream out. "
                    + "Every call needs a bearer token: viewer for reads, operator for acknowledgements and windows, "
                    + "reporter (one cluster or node) for reports. Errors are RFC 9457 problem details.");
        }
        if (api.getTags() != null) {
            String keep = role == ServerRole.FLEET ? "fleet" : "agent";
            for (var tag : List.copyOf(api.getTags())) {
                if (!keep.equals(tag.getName())) {
                    api.removeTag(tag);
                }
            }
        }
        completeProblems(api);
        tidyProperties(api);
        keepUsedSchemas(api);
    }

    /** Marks a {@code @SchemaProperty} as nullable, which its own {@code nullable} does not do (SmallRye OpenAPI 4.2). */
    public static final String NULLABLE = "x-hulftark-nullable";

    /**
     * Nullable where a property says so (see {@link #NULLABLE}), never a stray {@code nullable: false}; an instant
     * property inline as a date-time string, so that it may be null (a nullable next to a $ref would not count).
     */
    private static void tidyProperties(OpenAPI api) {
        if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
            return;
        }
        for (Schema schema : api.getComponents().getSchemas().values()) {
            if (schema.getProperties() == null) {
                continue;
            }
            for (Schema p : schema.getProperties().values()) {
                if ((SCHEMAS + "Instant").equals(p.getRef())) { // a 3.0 writer makes a $ref with siblings an allOf
                    p.setRef(null);
                    p.setType(List.of(Schema.SchemaType.STRING));
                    p.setFormat("date-time");
                }
                if (Boolean.FALSE.equals(p.get("nullable"))) {
                    p.set("nullable", null);
                }
                if (p.getExtensions() != null && p.getExtensions().containsKey(NULLABLE)) {
                    p.removeExtension(NULLABLE);
                    if (p.getRef() != null) {
                        // An object of a named schema, or null. "nullable" next to a $ref (an allOf in 3.0) does not
                        // let null through allOf's member, so: any of that schema, or null (written as a nullable
                        // empty object, 3.0 having no null type).
                        Schema named = org.eclipse.microprofile.openapi.OASFactory.createSchema().ref(p.getRef());
                        Schema none = org.eclipse.microprofile.openapi.OASFactory.createSchema()
                                .type(List.of(Schema.SchemaType.OBJECT, Schema.SchemaType.NULL)).maxProperties(0);
                        p.setRef(null);
                        p.setType(null);
                        p.setAnyOf(List.of(named, none));
                        continue;
                    }
                    // the 3.1 model's way; written as "nullable: true" in a 3.0 document
                    p.setType(p.getType() == null ? List.of(Schema.SchemaType.NULL)
                            : java.util.stream.Stream.concat(p.getType().stream(), java.util.stream.Stream.of(
                                    Schema.SchemaType.NULL)).distinct().toList());
                }
            }
        }
    }

    private static void completeProblems(OpenAPI api) {
        if (api.getPaths() == null || api.getPaths().getPathItems() == null) {
            return;
        }
        api.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values().forEach(op -> {
            APIResponses responses = op.getResponses();
            if (responses == null) {
                return;
            }
            boolean body = op.getRequestBody() != null;
            boolean params = op.getParameters() != null
                    && op.getParameters().stream().anyMatch(p -> p.getIn() != Parameter.In.PATH);
            if (body || params) {
                add(responses, "400", "A parameter or the body is not of its type or out of its bounds (the detail "
                        + "says which)");
            }
            if (path.contains("{")) {
                add(responses, "404", "Nothing of this name or id here");
            }
            if (body) {
                add(responses, "415", "The body is not sent as application/json");
                add(responses, "429", "Too many requests at once with this credential; try again after Retry-After "
                        + "seconds");
            }
            for (String code : List.of("429", "503")) {
                APIResponse r = responses.getAPIResponse(code);
                if (r != null && (r.getHeaders() == null || !r.getHeaders().containsKey("Retry-After"))) {
                    r.addHeader("Retry-After", OASFactory.createHeader().description("Seconds to wait before trying again")
                            .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(
                                    java.math.BigDecimal.ZERO)));
                }
            }
            responses.setAPIResponses(new java.util.TreeMap<>(responses.getAPIResponses())); // in code order, for readers
            responses.getAPIResponses().forEach((code, r) -> {
                if (code.startsWith("4") || code.startsWith("5")) {
                    if (r.getContent() == null || r.getContent().getMediaTypes() == null
                            || r.getContent().getMediaTypes().isEmpty()) {
                        r.content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))));
                    }
                }
            });
        }));
    }

    private static void add(APIResponses responses, String code, String description) {
        if (responses.getAPIResponse(code) == null) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
        }
    }

    private static void keepUsedSchemas(OpenAPI api) {
        if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> all = api.getComponents().getSchemas();
        Deque<Schema> todo = new ArrayDeque<>();
        if (api.getPaths() != null && api.getPaths().getPathItems() != null) {
            for (PathItem item : api.getPaths().getPathItems().values()) {
                for (Operation op : item.getOperations().values()) {
                    if (op.getParameters() != null) {
                        op.getParameters().stream().map(Parameter::getSchema).forEach(s -> push(todo, s));
                    }
                    if (op.getRequestBody() != null) {
                        content(todo, op.getRequestBody().getContent());
                    }
                    if (op.getResponses() != null && op.getResponses().getAPIResponses() != null) {
                        for (APIResponse r : op.getResponses().getAPIResponses().values()) {
                            content(todo, r.getContent());
                        }
                    }
                }
            }
        }
        Set<String> used = new HashSet<>();
        while (!todo.isEmpty()) {
            Schema s = todo.pop();
            String ref = s.getRef();
            if (ref != null && ref.startsWith(SCHEMAS)) {
                String name = ref.substring(SCHEMAS.length());
                if (used.add(name) && all.containsKey(name)) {
                    push(todo, all.get(name));
                }
            }
            if (s.getProperties() != null) {
                s.getProperties().values().forEach(p -> push(todo, p));
            }
            push(todo, s.getItems());
            push(todo, s.getAdditionalPropertiesSchema());
            for (List<Schema> list : new List[] {s.getAllOf(), s.getAnyOf(), s.getOneOf()}) {
                if (list != null) {
                    list.forEach(x -> push(todo, x));
                }
            }
        }
        for (String name : List.copyOf(all.keySet())) {
            if (!used.contains(name)) {
                api.getComponents().removeSchema(name);
            }
        }
    }

    private static void content(Deque<Schema> todo, Content content) {
        if (content != null && content.getMediaTypes() != null) {
            for (MediaType m : content.getMediaTypes().values()) {
                push(todo, m.getSchema());
            }
        }
    }

    private static void push(Deque<Schema> todo, Schema s) {
        if (s != null) {
            todo.push(s);
        }
    }
}
