package io.hulftark.ocf;

import io.hulftark.kit.KitParameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The OCF agent's parameters: the one list that meta-data describes and that every action checks,
 * and the reading of {@code OCF_RESKEY_*} (and Pacemaker's {@code OCF_RESKEY_CRM_meta_timeout}) into
 * {@link OcfSettings}.
 */
public final class OcfParameters {

    static final String PREFIX = "OCF_RESKEY_";

    /** What Pacemaker (and resource-agents' tracing) pass besides the agent's own parameters. */
    private static final Set<String> PASSED_BY_PACEMAKER = Set.of("crm_feature_set", "trace_ra", "trace_file");

    /**
     * Kept from Pacemaker's operation timeout: the kit's watchdog ends an action 3 s after the
     * kit's timeout, and the JVM needs about 2 s more to start and exit, so Pacemaker still gets an answer.
     */
    static final Duration ANSWER_MARGIN = Duration.ofSeconds(5);

    public static final List<OcfParameter> ALL = List.of(
            new OcfParameter("service", OcfParameter.Type.STRING, true, true, Optional.empty(),
                    "HULFT's service (systemd unit)",
                    "The HULFT service this resource keeps running: its systemd unit, e.g. hulft8 "
                            + "(\".service\" is added when no unit type is given). The kit asks the service "
                            + "manager about it; utlsvcctl in exe_path starts and stops it.",
                    OcfParameters::serviceName),
            new OcfParameter("exe_path", OcfParameter.Type.STRING, true, true, Optional.empty(),
                    "HULFT's bin folder",
                    "The spec's exe_path: the folder with utlsvcctl (or utlsvctl) and utlalivecheck, "
                            + "e.g. /usr/local/HULFT/bin. An absolute path.",
                    OcfParameters::absolutePath),
            new OcfParameter("conf_file", OcfParameter.Type.STRING, true, true, Optional.empty(),
                    "HULFT's hulenv.cnf",
                    "The spec's conf_file: hulenv.cnf, whose ports (rcvport, obsport, sddport, srvcproport, "
                            + "schport) must answer and whose myhostname is probed, e.g. /hulft/etc/hulenv.cnf "
                            + "on the shared filesystem. An absolute path. A monitor on a node where it is "
                            + "absent and HULFT is stopped says stopped.",
                    OcfParameters::absolutePath),
            new OcfParameter("tag", OcfParameter.Type.STRING, false, false, Optional.empty(),
                    "Name of the resource's lock",
                    "The resource's name for the per-resource lock in hulftark.state-dir, shared with the "
                            + "node agent (give the agent's hulftark.agent.tags the same name). Default: the "
                            + "Pacemaker resource's name.",
                    OcfParameters::oneWord),
            new OcfParameter("retries", OcfParameter.Type.INTEGER, false, false,
                    Optional.of(Integer.toString(KitParameters.DEFAULT_RETRIES)),
                    "Retries of a failed operation",
                    "LKHULFT_RETRIES: a failed start, stop, start-type change or port check is tried up to "
                            + "retries + 1 times within one action (0 to 100).",
                    v -> integer(v, 0, 100)),
            new OcfParameter("probe", OcfParameter.Type.STRING, false, false, Optional.of("utlalivecheck"),
                    "How ports are checked",
                    "utlalivecheck (HULFT's own, from exe_path) or tcp (a TCP connect).",
                    v -> oneOf(v, "utlalivecheck", "tcp")),
            new OcfParameter("probe_host", OcfParameter.Type.STRING, false, false, Optional.empty(),
                    "Host whose ports are checked",
                    "The host given to the port probe. Default: hulenv.cnf's myhostname, else localhost.",
                    OcfParameters::oneWord),
            new OcfParameter("command_timeout", OcfParameter.Type.INTEGER, false, false, Optional.of("120"),
                    "Bound of one command, in seconds",
                    "Bound of one utlsvcctl or service-state query, in seconds (1 to 86400); an overrun "
                            + "is killed with its process tree. Each action is bounded as a whole by its "
                            + "Pacemaker operation timeout, less 5 s to answer.",
                    v -> integer(v, 1, 86400)),
            new OcfParameter("probe_timeout", OcfParameter.Type.INTEGER, false, false, Optional.of("15"),
                    "Bound of one port probe, in seconds",
                    "Bound of one port probe, in seconds (1 to 86400; utlalivecheck waits 10 s itself).",
                    v -> integer(v, 1, 86400)),
            new OcfParameter("debug", OcfParameter.Type.BOOLEAN, false, false, Optional.of("false"),
                    "Step-by-step lines",
                    "The spec's $debug: step-by-step lines (51050199) on stderr, which Pacemaker logs.",
                    OcfParameters::bool));

    private OcfParameters() {
    }

    /** What reading the environment gave: settings, or the first problem as one line (OCF_ERR_CONFIGURED). */
    public sealed interface Read {
        record Good(OcfSettings settings) implements Read { }

        record Bad(String problem) implements Read { }
    }

    public static OcfParameter named(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no OCF parameter " + name));
    }

    /** Reads and checks every parameter; an unknown one is a problem too, so a typo is never silently ignored. */
    public static Read read(Map<String, String> env) {
        Set<String> known = ALL.stream().map(OcfParameter::name).collect(Collectors.toSet());
        List<String> unknown = new ArrayList<>();
        env.keySet().stream().filter(k -> k.startsWith(PREFIX)).map(k -> k.substring(PREFIX.length()))
                .filter(n -> !known.contains(n) && !n.startsWith("CRM_meta_") && !PASSED_BY_PACEMAKER.contains(n))
                .sorted().forEach(unknown::add);
        if (!unknown.isEmpty()) {
            return new Read.Bad("unknown parameter " + PREFIX + unknown.get(0) + " (the agent takes "
                    + ALL.stream().map(OcfParameter::name).collect(Collectors.joining(", ")) + ")");
        }
        for (OcfParameter p : ALL) {
            String v = value(env, p.name());
            if (v == null) {
                if (p.required()) {
                    return new Read.Bad(PREFIX + p.name() + " is not set: " + p.shortdesc() + " is required");
                }
                continue;
            }
            String problem = p.problem(v);
            if (problem != null) {
                return new Read.Bad(problem);
            }
        }
        String resource = env.getOrDefault("OCF_RESOURCE_INSTANCE", "").strip();
        String tag = Optional.ofNullable(value(env, "tag")).orElse(resource);
        if (tag.isEmpty()) {
            return new Read.Bad(PREFIX + "tag is not set and neither is OCF_RESOURCE_INSTANCE (the resource's name)");
        }
        if (oneWord(tag) != null) {
            return new Read.Bad("OCF_RESOURCE_INSTANCE=" + shown(tag) + ": " + oneWord(tag) + "; set " + PREFIX + "tag");
        }
        Duration timeout;
        try {
            timeout = actionTimeout(env.get(PREFIX + "CRM_meta_timeout"));
        } catch (IllegalArgumentException e) {
            return new Read.Bad(e.getMessage());
        }
        return new Read.Good(new OcfSettings(resource.isEmpty() ? tag : resource, value(env, "service"),
                Path.of(value(env, "exe_path")), Path.of(value(env, "conf_file")), tag,
                Integer.parseInt(valueOrDefault(env, "retries")),
                KitParameters.ProbeKind.valueOf(valueOrDefault(env, "probe").toUpperCase(Locale.ROOT)),
                Optional.ofNullable(value(env, "probe_host")),
                Duration.ofSeconds(Integer.parseInt(valueOrDefault(env, "command_timeout"))),
                Duration.ofSeconds(Integer.parseInt(valueOrDefault(env, "probe_timeout"))),
                isTrue(valueOrDefault(env, "debug")) || "1".equals(env.get("HA_debug")), timeout));
    }

    /**
     * The kit's timeout for the whole action: Pacemaker's operation timeout (milliseconds) less
     * {@link #ANSWER_MARGIN}, at least 1 s; LKHULFT_TIMEOUT's default when Pacemaker gives none.
     */
    static Duration actionTimeout(String crmMetaTimeout) {
        if (crmMetaTimeout == null || crmMetaTimeout.isBlank()) {
            return KitParameters.DEFAULT_TIMEOUT;
        }
        long ms;
        try {
            ms = Long.parseLong(crmMetaTimeout.strip());
        } catch (NumberFormatException e) {
            ms = -1;
        }
        if (ms <= 0) {
            throw new IllegalArgumentException(PREFIX + "CRM_meta_timeout=" + shown(crmMetaTimeout)
                    + ": not a number of milliseconds greater than 0");
        }
        Duration left = Duration.ofMillis(ms).minus(ANSWER_MARGIN);
        return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
    }

    /** The value, or null when unset or empty (pcs removes a parameter set to nothing). */
    private static String value(Map<String, String> env, String name) {
        String v = env.get(PREFIX + name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static String valueOrDefault(Map<String, String> env, String name) {
        String v = value(env, name);
        return v != null ? v : named(name).defaultValue().orElseThrow();
    }

    /** A value as a one-line message may show it: control characters escaped, long values cut. */
    static String shown(String value) {
        StringBuilder b = new StringBuilder("\"");
        value.codePoints().limit(200).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format(Locale.ROOT, "\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(value.length() > 200 ? "...\"" : "\"").toString();
    }

    // ---- the checks: null when good, else why ----

    private static String oneLine(String v) {
        if (v.isBlank()) {
            return "must not be blank";
        }
        if (v.codePoints().anyMatch(Character::isISOControl)) {
            return "must not hold control characters (line breaks, tabs, NUL)";
        }
        if (v.length() > 1024) {
            return "longer than 1024 characters";
        }
        return null;
    }

    /** A name that reaches a command as one argument: never one that reads as an option. */
    private static String serviceName(String v) {
        String line = oneLine(v);
        if (line != null) {
            return line;
        }
        if (v.startsWith("-") || !v.equals(v.strip())) {
            return "must not start with \"-\" or with or end in blanks";
        }
        return null;
    }

    private static String oneWord(String v) {
        String line = oneLine(v);
        if (line != null) {
            return line;
        }
        if (v.startsWith("-") || v.codePoints().anyMatch(Character::isWhitespace)) {
            return "must be one word that does not start with \"-\"";
        }
        return null;
    }

    /** Pacemaker runs the agent from a folder of its own choosing: a relative path would mean nothing. */
    private static String absolutePath(String v) {
        String line = oneLine(v);
        if (line != null) {
            return line;
        }
        try {
            if (!Path.of(v).isAbsolute()) {
                return "must be an absolute path";
            }
        } catch (RuntimeException e) {
            return "is not a path: " + e.getMessage();
        }
        return null;
    }

    private static String integer(String v, int min, int max) {
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max && v.equals(v.strip())) {
                return null;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        return "must be a whole number from " + min + " to " + max;
    }

    private static String oneOf(String v, String... allowed) {
        return List.of(allowed).contains(v) ? null : "must be one of " + String.join(", ", allowed);
    }

    private static final Set<String> TRUE = Set.of("true", "yes", "on", "1");
    private static final Set<String> FALSE = Set.of("false", "no", "off", "0");

    /** OCF's booleans as resource-agents' ocf_is_true reads them, in any case. */
    private static String bool(String v) {
        String w = v.toLowerCase(Locale.ROOT);
        return TRUE.contains(w) || FALSE.contains(w) ? null : "must be true or false (also yes/no, on/off, 1/0)";
    }

    private static boolean isTrue(String v) {
        return TRUE.contains(v.toLowerCase(Locale.ROOT));
    }
}
