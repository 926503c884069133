package io.hulftark.agent.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The agent's OpenAPI document (served at /q/openapi; openapi/agent.yaml is kept equal to it by a test). */
@OpenAPIDefinition(info = @Info(title = "hulft-ark node agent", version = "1",
        description = "State, history and actions of the HULFT resources of one cluster node. Every call needs "
                + "a bearer token: viewer for reads, operator for actions. Errors are RFC 9457 problem details."))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
public class AgentApi extends Application {
}
