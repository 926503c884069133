package io.hulftark.app;

import io.quarkus.test.common.http.TestHTTPResourceManager;

import java.net.URI;

/** The management interface of the application under test (health, metrics, OpenAPI: a port of its own). */
public final class Management {

    private Management() {
    }

    /** @param path e.g. {@code /q/metrics} */
    public static String url(String path) {
        URI base = URI.create(TestHTTPResourceManager.getManagementUri());
        return base.getScheme() + "://" + base.getHost() + ":" + base.getPort() + path;
    }
}
