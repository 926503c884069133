package io.hulftark.fleet.store;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded store's URL: no trace file; the tests use the same options. */
class StoreOptionsTest {

    static String productUrl() throws Exception {
        Properties p = new Properties();
        try (InputStream in = StoreOptionsTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        return p.getProperty("quarkus.datasource.embedded.jdbc.url");
    }

    @Test
    void noTraceFileGrowsAndCommitsAreWrittenInGroups() throws Exception {
        // WRITE_DELAY=0 (a chunk per commit) grew the file by gigabytes; H2Commits makes commits durable instead.
        assertThat(productUrl()).contains(";TRACE_LEVEL_FILE=0").doesNotContain("WRITE_DELAY").startsWith("jdbc:h2:retry:");
    }

    @Test
    void theTestsRunTheProductsOptions() throws Exception {
        String url = productUrl();
        assertThat(Arrays.stream(TestDatabases.H2_OPTIONS.split(";")).filter(o -> !o.isEmpty()))
                .isNotEmpty().allSatisfy(o -> assertThat(url).contains(";" + o));
        assertThat(TestDatabases.H2_OPTIONS).contains(";TRACE_LEVEL_FILE=0");
    }

    @Test
    void theStoreIsNamedByItsFolderAndServer() {
        assertThat(FleetStoreProducer.h2Folder("jdbc:h2:retry:/var/lib/hulft-ark/fleet/fleet;MODE=PostgreSQL"))
                .isEqualTo(Path.of("/var/lib/hulft-ark/fleet"));
        assertThat(FleetStoreProducer.serverOf("jdbc:postgresql://db:5432/hulftark?password=secret&ssl=true"))
                .isEqualTo("db:5432/hulftark");
    }
}
