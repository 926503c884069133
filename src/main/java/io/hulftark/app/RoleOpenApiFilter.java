package io.hulftark.app;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each role serves the OpenAPI document of its own API: the agent's paths (openapi/agent.yaml) or the fleet
 * view's (openapi/fleet.yaml), with only the schemas those paths use.
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
        keepUsedSchemas(api);
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
