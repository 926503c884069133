package io.hulftark.app;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityHeadersUnitTest {

    private static MultiMap applied(String path, String cacheBefore) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        if (cacheBefore != null) {
            h.set("Cache-Control", cacheBefore);
        }
        SecurityHeaders.apply(path, h);
        return h;
    }

    @Test
    void dataIsNeverStoredFilesAreRevalidated() {
        assertThat(applied("/api/v1/fleet/summary", null).getAll("Cache-Control")).containsExactly("no-store");
        assertThat(applied("/api", null).get("Cache-Control")).isEqualTo("no-store");
        assertThat(applied("/q/metrics", null).get("Cache-Control")).isEqualTo("no-store");
        assertThat(applied("/", "public, immutable, max-age=86400").getAll("Cache-Control")).containsExactly("no-cache");
        assertThat(applied("/app.js", null).get("Cache-Control")).isEqualTo("no-cache");
        assertThat(applied("/apix.js", null).get("Cache-Control")).isEqualTo("no-cache");
        assertThat(applied(null, null).get("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void thePolicyAllowsNothingInlineAndNoFrame() {
        MultiMap h = applied("/", null);
        assertThat(h.get("Content-Security-Policy")).startsWith("default-src 'self';").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe");
        assertThat(h.get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(h.get("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(h.get("X-Frame-Options")).isEqualTo("DENY");
    }
}
