package io.hulftark.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ScrapeableMetersTest {

    @Test
    void whatPromtoolsLintRefusedIsMendedBeforeItIsWritten() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new ScrapeableMeters());
        AtomicInteger n = new AtomicInteger(3);
        Gauge.builder("netty.allocator.pooled.arenas", n, AtomicInteger::get).register(registry); // no description
        Gauge.builder("system.cpu.count", n, AtomicInteger::get).description("processors").register(registry);
        Counter.builder("process.cpu.time").baseUnit("ns").description("The \"cpu time\" used").register(registry);
        LongTaskTimer.builder("http.server.connections").description("connections").register(registry);
        new ProcessCpu().bindTo(registry);

        String text = registry.scrape();

        assertThat(text).contains("# HELP netty_allocator_pooled_arenas Netty allocator pooled arenas\n",
                "# TYPE system_cpus gauge", "process_cpu_seconds_total ");
        assertThat(text).doesNotContain("process_cpu_time_ns", "system_cpu_count", "http_server_connections");
        assertThat(Promtool.check(text)).isEmpty();
    }

    @Test
    void aMeterWithoutANameInWordsStillGetsHelp() {
        assertThat(ScrapeableMeters.words("hulftark.fleet.streams")).isEqualTo("Hulftark fleet streams");
        assertThat(ScrapeableMeters.words("_")).isEqualTo("unnamed");
    }
}
