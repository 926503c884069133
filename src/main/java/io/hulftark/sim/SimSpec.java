package io.hulftark.sim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a simulated HULFT installation looks like: build one with {@link #builder()}.
 *
 * @param serviceName the Windows service name the service-control commands answer to
 *                    (default {@value #DEFAULT_SERVICE_NAME}; note the space)
 * @param ports       hulenv.cnf port key ({@code rcvport}, {@code obsport}, {@code sddport},
 *                    {@code srvcproport}, {@code schport}) to port; a key left out is not configured
 * @param myhostname  HULFT's own host name, also the address the service listens on when it is local
 *                    (default {@code localhost})
 * @param startType   the service's initial start type: {@code demand} (default: manual, as HULFT's service is
 *                    set up on every node of a cluster), {@code auto}, {@code delayed-auto} or {@code disabled}
 *                    (a disabled service does not start)
 * @param resources   LifeKeeper resources for the stand-in {@code ins_list}: tag to info (the info holds
 *                    the HULFT service name and may be empty)
 * @param nodeName    the node name {@code ins_list} prints in its first field (default {@code sim-node})
 */
public record SimSpec(String serviceName, Map<String, Integer> ports, String myhostname, String startType,
                      Map<String, String> resources, String nodeName) {

    public static final String DEFAULT_SERVICE_NAME = "HULFT8 Service";
    public static final List<String> PORT_KEYS = List.of(SimHome.PORT_KEYS);
    public static final List<String> START_TYPES = List.of("auto", "delayed-auto", "demand", "disabled");

    public SimSpec {
        requireLine("service name", serviceName);
        requireLine("myhostname", myhostname);
        requireLine("node name", nodeName);
        if (!START_TYPES.contains(startType)) {
            throw new IllegalArgumentException("start type must be one of " + START_TYPES + ": " + startType);
        }
        Map<String, Integer> p = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : Objects.requireNonNull(ports, "ports").entrySet()) {
            if (!PORT_KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException("not a port key of hulenv.cnf " + PORT_KEYS + ": " + e.getKey());
            }
            if (e.getValue() == null || e.getValue() < 1 || e.getValue() > 65535) {
                throw new IllegalArgumentException(e.getKey() + " is not a port (1 to 65535): " + e.getValue());
            }
            p.put(e.getKey(), e.getValue());
        }
        ports = Collections.unmodifiableMap(p);
        Map<String, String> r = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : Objects.requireNonNull(resources, "resources").entrySet()) {
            requireLine("tag", e.getKey());
            String info = e.getValue() == null ? "" : e.getValue();
            if (info.indexOf('\n') >= 0 || info.indexOf('\r') >= 0 || info.indexOf('\u0001') >= 0) {
                throw new IllegalArgumentException("info of " + e.getKey() + " must be one line without 0x01");
            }
            r.put(e.getKey(), info);
        }
        resources = Collections.unmodifiableMap(r);
    }

    /** All defaults: {@value #DEFAULT_SERVICE_NAME}, no ports, {@code localhost}, {@code auto}, no resources. */
    public static SimSpec defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // A value that ends up in a line of a file or of ins_list's output cannot hold a line break or 0x01.
    private static void requireLine(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\u0001') >= 0) {
            throw new IllegalArgumentException(what + " must be one line without 0x01: " + value);
        }
    }

    public static final class Builder {
        private String serviceName = DEFAULT_SERVICE_NAME;
        private final Map<String, Integer> ports = new LinkedHashMap<>();
        private String myhostname = "localhost";
        private String startType = "demand";
        private final Map<String, String> resources = new LinkedHashMap<>();
        private String nodeName = "sim-node";

        private Builder() {
        }

        public Builder serviceName(String serviceName) {
            this.serviceName = serviceName;
            return this;
        }

        /** Sets one port of hulenv.cnf, e.g. {@code port("rcvport", 30000)}. */
        public Builder port(String key, int port) {
            ports.put(key, port);
            return this;
        }

        public Builder ports(Map<String, Integer> ports) {
            this.ports.putAll(ports);
            return this;
        }

        public Builder myhostname(String myhostname) {
            this.myhostname = myhostname;
            return this;
        }

        public Builder startType(String startType) {
            this.startType = startType;
            return this;
        }

        /** Adds a LifeKeeper resource: its tag and its info (the HULFT service name; may be empty). */
        public Builder resource(String tag, String info) {
            resources.put(tag, info);
            return this;
        }

        public Builder nodeName(String nodeName) {
            this.nodeName = nodeName;
            return this;
        }

        public SimSpec build() {
            return new SimSpec(serviceName, ports, myhostname, startType, resources, nodeName);
        }
    }
}
