package io.hulftark.hulft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ProbeResultTest {

    @Test
    void detailIsKeptToItsFirstLine() {
        assertEquals("refused", ProbeResult.failure(1, "refused", Duration.ZERO, "refused\n\tat x").detail());
    }

    @Test
    void nullDetailIsEmpty() {
        assertEquals("", new ProbeResult(1, false, "x", Duration.ZERO, null).detail());
    }

    @Test
    void successHasCodeZero() {
        assertEquals(new ProbeResult(5, true, "0", Duration.ofMillis(3), ""), ProbeResult.success(5, Duration.ofMillis(3)));
    }
}
