package io.hulftark.agent.fast;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the agent takes as a request, and the one-phrase reason for what it does not. */
class FastCheckRequestTest {

    static FastCheckRequest read(String text) throws Exception {
        return FastCheckRequest.read(new BufferedReader(new StringReader(text)));
    }

    @Test
    void aWholeRequestWithEncodedValues() throws Exception {
        FastCheckRequest r = read("HAFC1\ncheck lifekeeper\ncwd /lk%25cwd\narg --script\narg /a b/!quickCheck/s\n"
                + "arg x%0Ay\nview v1\nview env PATH=/bin\nend\n");
        assertThat(r.check()).isEqualTo("lifekeeper");
        assertThat(r.cwd()).isEqualTo(Path.of("/lk%cwd"));
        assertThat(r.args()).containsExactly("--script", "/a b/!quickCheck/s", "x\ny");
        assertThat(r.view()).containsExactly("v1", "env PATH=/bin");
        assertThat(r.proof()).isEmpty();
    }

    @Test
    void thisCallsOwnEnvironmentIsReadApartFromTheView() throws Exception {
        FastCheckRequest r = read("HAFC1\ncheck ocf\ncwd /\narg monitor\nsetenv OCF_RESKEY_service=hulft8\n"
                + "setenv OCF_RESKEY_x=a=b%0Ac\nview v1\nend\n");
        assertThat(r.env()).containsExactly(java.util.Map.entry("OCF_RESKEY_service", "hulft8"),
                java.util.Map.entry("OCF_RESKEY_x", "a=b\nc"));
        assertThat(r.view()).containsExactly("v1");
        assertThatThrownBy(() -> read("HAFC1\ncheck ocf\ncwd /\nsetenv =x\nview v1\nend\n"))
                .hasMessage("setenv line without NAME=VALUE, or a name twice");
        assertThatThrownBy(() -> read("HAFC1\ncheck ocf\ncwd /\nsetenv A=1\nsetenv A=2\nview v1\nend\n"))
                .hasMessage("setenv line without NAME=VALUE, or a name twice");
    }

    @Test
    void whatIsNotARequestIsRefusedInOnePhrase() {
        for (List<String> c : List.of(
                List.of("GET / HTTP/1.1\n", "not a fast-check request"),
                List.of("HAFC1\ncheck lifekeeper\n", "request ended before 'end'"),
                List.of("HAFC1\ncheck x\ncwd /\nview v1\nrun rm -rf /\nend\n", "unknown request line 'run'"),
                List.of("HAFC1\ncheck x\nend\n", "request without check, cwd or view"),
                List.of("HAFC1\narg " + "a".repeat(20_000) + "\n", "request too large"),
                List.of("HAFC1\n" + ("view " + "v".repeat(10_000) + "\n").repeat(30) + "end\n", "request too large"))) {
            assertThatThrownBy(() -> read(c.get(0))).isInstanceOf(IllegalArgumentException.class).hasMessage(c.get(1));
        }
    }
}
