package io.hulftark.hulft;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the kit needs from {@code hulenv.cnf}: the ports that are set (in {@link #PORT_KEYS} order,
 * absent keys left out) and HULFT's own host name, if set.
 */
public record HulEnv(Map<String, Integer> ports, Optional<String> myHostName) {

    /** The ports the original kit checks, in its order. */
    public static final List<String> PORT_KEYS = List.of("rcvport", "obsport", "sddport", "srvcproport", "schport");

    public HulEnv {
        Objects.requireNonNull(myHostName, "myHostName");
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (String key : PORT_KEYS) {
            Integer port = ports.get(key);
            if (port != null) {
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException(key + " = " + port + " is not a port number (1-65535)");
                }
                ordered.put(key, port);
            }
        }
        if (ordered.size() != ports.size()) {
            throw new IllegalArgumentException("unknown port keys " + ports.keySet() + "; known are " + PORT_KEYS);
        }
        ports = Collections.unmodifiableMap(ordered);
    }
}
