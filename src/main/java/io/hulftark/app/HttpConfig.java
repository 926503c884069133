package io.hulftark.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the agent and the fleet view take request bodies ({@code hulftark.http.*}); see {@link UploadRoutes}. */
@ConfigMapping(prefix = "hulftark.http")
public interface HttpConfig {

    /** A whole body must arrive within this, from its first byte awaited to its last (408 and the connection closed). */
    @WithDefault("10s")
    Duration bodyTimeout();

    /** Requests with a body one credential may have in progress at once (received or being handled); 429 beyond. */
    @WithDefault("4")
    int uploadsPerCredential();

    /** Requests with a body in progress across all credentials; 503 beyond, and readiness is DOWN while full. */
    @WithDefault("200")
    int maxUploads();
}
