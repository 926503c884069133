package io.hulftark.app;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Locale;

/**
 * The management interface (health, metrics, OpenAPI on a port of their own, loopback unless a site opens it; see
 * application.properties) and the metrics it serves.
 */
@ApplicationScoped
public class ManagementRoutes {

    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    @Produces
    @Singleton
    MeterFilter scrapeable() {
        return new ScrapeableMeters();
    }

    @Produces
    @Singleton
    MeterBinder processCpu() {
        return new ProcessCpu();
    }

    /**
     * Serves Prometheus's text format unless the scraper asks for OpenMetrics by name. Quarkus answers a request
     * without Accept, or with {@code *}{@code /*}, in OpenMetrics, whose escapes ({@code \"} in help text) the text
     * parser of promtool, Telegraf and other scrapers refuses: they dropped the whole scrape.
     */
    void install(@Observes ManagementInterface management) {
        management.router().route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (ctx.normalizedPath().endsWith("/metrics") && !asksForOpenMetrics(ctx.request().getHeader(HttpHeaders.ACCEPT))) {
                ctx.request().headers().set(HttpHeaders.ACCEPT, TEXT_FORMAT);
            }
            ctx.next();
        });
    }

    static boolean asksForOpenMetrics(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
    }
}
