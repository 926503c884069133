package io.hulftark.http;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemTest {

    @Test
    void aPlainPathIsTheInstanceAsItIs() {
        assertThat(Problem.instance("/api/v1/resources/hulft-1_a.b~c/checks")).isEqualTo("/api/v1/resources/hulft-1_a.b~c/checks");
        assertThat(Problem.instance("/api/v1/resources/$(x);&'*+,=:@")).isEqualTo("/api/v1/resources/$(x);&'*+,=:@");
    }

    @Test
    void whatAPathCannotHoldIsPercentEncoded() {
        String instance = Problem.instance("/api/v1/resources/a b\"<>`|%?#\u00e9");
        assertThat(instance).isEqualTo("/api/v1/resources/a%20b%22%3C%3E%60%7C%25%3F%23%C3%A9");
        assertThat(URI.create(instance).getPath()).isEqualTo("/api/v1/resources/a b\"<>`|%?#\u00e9");
    }

    @Test
    void aLongPathIsCutWithoutSplittingAnEscape() {
        for (int pad = 0; pad < 3; pad++) {
            String instance = Problem.instance("/" + "x".repeat(pad) + " ".repeat(300));
            assertThat(instance).hasSizeLessThanOrEqualTo(Problem.MAX_INSTANCE).endsWith("%20...");
            assertThat(URI.create(instance).getPath()).startsWith("/" + "x".repeat(pad) + "   ");
        }
        assertThat(Problem.instance("/" + "y".repeat(199))).hasSize(200).doesNotEndWith("...");
        assertThat(Problem.instance((String) null)).isNull();
    }
}
