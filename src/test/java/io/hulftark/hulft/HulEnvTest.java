package io.hulftark.hulft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class HulEnvTest {

    @Test
    void portsAreReorderedAndCopied() {
        Map<String, Integer> given = new LinkedHashMap<>();
        given.put("schport", 5);
        given.put("rcvport", 1);
        HulEnv env = new HulEnv(given, Optional.empty());
        given.put("obsport", 2);
        assertEquals(List.of("rcvport", "schport"), List.copyOf(env.ports().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> env.ports().remove("rcvport"));
    }

    @Test
    void unknownKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HulEnv(Map.of("RcvPort", 1), Optional.empty()));
    }

    @Test
    void outOfRangePortIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HulEnv(Map.of("rcvport", 0), Optional.empty()));
        assertEquals("rcvport = 0 is not a port number (1-65535)", e.getMessage());
    }

    @Test
    void portKeysAreTheOriginalFive() {
        assertEquals(List.of("rcvport", "obsport", "sddport", "srvcproport", "schport"), HulEnv.PORT_KEYS);
    }
}
