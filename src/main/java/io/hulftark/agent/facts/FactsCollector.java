package io.hulftark.agent.facts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hulftark.hulft.HulEnv;
import io.hulftark.hulft.HulEnvException;
import io.hulftark.hulft.HulEnvReader;
import io.hulftark.kit.KitParameters;
import io.hulftark.lifekeeper.LifeKeeperDefaults;
import io.hulftark.wire.NodeFacts;
import io.hulftark.wire.NodeFacts.PreflightRow;
import io.hulftark.wire.NodeFacts.ResourceFacts;
import io.hulftark.wire.WireText;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds this node's {@link NodeFacts} from files and what the agent already knows: no process is started, so it
 * runs before every push. Each resource's settings are built key by key from typed values the kit reads (paths,
 * ports, numbers, names) and from {@link KitSettings}' allowlist; nothing is copied from a file or the environment
 * by pattern, so a secret cannot get in under any name.
 *
 * <p>LifeKeeper's version stays absent: neither LifeKeeper for Linux nor for Windows keeps it in a file of its own
 * that we can read reliably; it is in the package database (steeleye-lk) or the Windows installer's records,
 * which only a process could ask.
 */
public final class FactsCollector {

    /** At most this many resources go out (the wire's bound). */
    static final int MAX_RESOURCES = 64;
    private static final int MAX_SHORT = 64;
    private static final int MAX_NAME = 128;
    private static final int MAX_HOST = 256;
    /** Compact, keys sorted, instants as text: one digest for equal facts on any JVM. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
            .build();

    /** What this node is: its software, taken once. */
    public record Node(String agentVersion, String os, String osVersion, String jvm, String host, String platform) {

        /** This JVM's view: os.name, os.version, java.runtime.version (without its build) and java.vendor. */
        public static Node ofThisJvm(String agentVersion, String host, String platform) {
            // "17.0.13+11-LTS" is 17.0.13 to a person, and one row of the inventory's counts.
            String runtime = System.getProperty("java.runtime.version", System.getProperty("java.version", "?"))
                    .replaceFirst("[+-].*$", "");
            String vendor = System.getProperty("java.vendor");
            return new Node(agentVersion, System.getProperty("os.name"), System.getProperty("os.version"),
                    runtime + (vendor == null ? "" : " (" + vendor + ")"), host, platform);
        }
    }

    /**
     * Where LifeKeeper and the kit's parameters are.
     *
     * @param defaultsFile  LifeKeeper's defaults file, re-read on every collection (the values the next run uses)
     * @param performAction LifeKeeper's perform_action, when LKROOT or the configuration names one
     */
    public record Sources(Optional<Path> lkroot, Optional<Path> defaultsFile, Optional<Path> performAction,
                          KitParameters parameters, boolean confFileShared) {

        /** hulenv.cnf is a copy on each node (hulftark.conf-file-shared=false). */
        public Sources(Optional<Path> lkroot, Optional<Path> defaultsFile, Optional<Path> performAction,
                       KitParameters parameters) {
            this(lkroot, defaultsFile, performAction, parameters, false);
        }
    }

    private final Node node;
    private final Sources sources;
    private final Supplier<Map<String, String>> services;
    private final Map<String, String> kitSettings;
    private final Readiness readiness;
    private final Clock clock;

    /**
     * @param services    tag to service name (null when not known), in the order the agent watches them
     * @param kitSettings the kit's harmless settings ({@link KitSettings#harmless}), without the {@code hulftark.}
     *                    prefix
     * @param readiness   the last preflights; null: none run (they stay absent)
     */
    public FactsCollector(Node node, Sources sources, Supplier<Map<String, String>> services,
                          Map<String, String> kitSettings, Readiness readiness, Clock clock) {
        this.node = node;
        this.sources = sources;
        this.services = services;
        this.kitSettings = Map.copyOf(kitSettings);
        this.readiness = readiness;
        this.clock = clock;
    }

    /** The facts now, with their digest. */
    public NodeFacts collect() {
        Map<String, String> shared = shared();
        Map<String, Readiness.Result> validated = new LinkedHashMap<>();
        if (readiness != null) {
            readiness.results().forEach(r -> validated.put(r.tag(), r));
        }
        List<ResourceFacts> resources = new ArrayList<>();
        for (Map.Entry<String, String> e : services.get().entrySet()) {
            if (resources.size() == MAX_RESOURCES) {
                break;
            }
            resources.add(resource(e.getKey(), e.getValue(), shared, validated.get(e.getKey())));
        }
        NodeFacts facts = new NodeFacts(null, null, text(node.agentVersion(), MAX_SHORT), text(node.os(), MAX_NAME),
                text(node.osVersion(), MAX_NAME), text(node.jvm(), MAX_NAME), text(node.host(), MAX_HOST),
                text(node.platform(), MAX_SHORT), lifeKeeperInstalled(), null, resources,
                readiness == null ? null : readiness.validatedAt());
        return new NodeFacts(digest(facts), clock.instant(), facts.agentVersion(), facts.os(), facts.osVersion(),
                facts.jvm(), facts.host(), facts.platform(), facts.lifekeeper(), facts.lifekeeperVersion(),
                facts.resources(), facts.validatedAt());
    }

    /** SHA-256 (hex) of the canonical JSON of everything but the digest and collectedAt. */
    public static String digest(NodeFacts facts) {
        NodeFacts bare = new NodeFacts(null, null, facts.agentVersion(), facts.os(), facts.osVersion(), facts.jvm(),
                facts.host(), facts.platform(), facts.lifekeeper(), facts.lifekeeperVersion(), facts.resources(),
                facts.validatedAt());
        try {
            return sha256(CANONICAL.writeValueAsBytes(bare));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the facts as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private boolean lifeKeeperInstalled() {
        return sources.lkroot().filter(Files::isDirectory).isPresent()
                || sources.defaultsFile().filter(Files::isRegularFile).isPresent()
                || sources.performAction().filter(Files::isRegularFile).isPresent();
    }

    /** What every resource of this node shares: the spec's parameters, hulenv.cnf, LKHULFT_*, the kit's settings. */
    private Map<String, String> shared() {
        KitParameters p = sources.parameters();
        Map<String, String> s = new LinkedHashMap<>();
        s.put("$debug", String.valueOf(p.debug()));
        p.exePath().ifPresent(x -> s.put("$exe_path", x.toString()));
        p.confFile().ifPresent(x -> s.put("$conf_file", x.toString()));
        p.confFile().ifPresent(file -> hulEnv(file, s, sources.confFileShared()));
        s.put("probe", p.probe().name().toLowerCase(Locale.ROOT));
        LifeKeeperDefaults d = sources.defaultsFile().map(LifeKeeperDefaults::read)
                .orElseGet(LifeKeeperDefaults::builtIn);
        s.put("LKHULFT_TIMEOUT", String.valueOf(d.timeout().toSeconds()));
        s.put("LKHULFT_RETRIES", String.valueOf(d.retries()));
        s.put("LKHULFT_FORCE_REMOVE", d.forceRemove() ? "1" : "0");
        kitSettings.forEach((key, value) -> s.put("hulftark." + key, value));
        return s;
    }

    /** hulenv.cnf's ports and myhostname as HULFT reads them, and the digest of the whole file. */
    private static void hulEnv(Path file, Map<String, String> s, boolean shared) {
        byte[] bytes;
        try {
            bytes = HulEnvReader.readBytes(file);
        } catch (HulEnvException e) {
            if (shared) {
                // The shared disk is in service on the other node: its one file is read there, never compared here.
                s.put("hulenv.digest", NodeFacts.ON_SHARED_DISK);
                s.put("hulenv.myhostname", NodeFacts.ON_SHARED_DISK);
                HulEnv.PORT_KEYS.forEach(key -> s.put("hulenv." + key, NodeFacts.ON_SHARED_DISK));
                return;
            }
            s.put("hulenv.digest", unreadable(e.getMessage()));
            return;
        }
        s.put("hulenv.digest", sha256(bytes));
        try {
            HulEnv env = HulEnvReader.parse(bytes, file.toString());
            env.ports().forEach((key, port) -> s.put("hulenv." + key, String.valueOf(port)));
            env.myHostName().ifPresent(h -> s.put("hulenv.myhostname", h));
        } catch (HulEnvException e) {
            // The digest still tells the nodes apart; the ports are not known, and one key says why.
            s.put("hulenv.myhostname", unreadable(e.getMessage()));
        }
    }

    private static ResourceFacts resource(String tag, String service, Map<String, String> shared,
                                          Readiness.Result validated) {
        Map<String, String> s = new LinkedHashMap<>();
        if (service != null) {
            s.put("service", service);
        }
        if (validated != null) {
            validated.outcome().startType().ifPresent(t -> s.put("startType", t));
        }
        s.putAll(shared);
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : s.entrySet()) {
            if (settings.size() == NodeFacts.MAX_SETTINGS) {
                break;
            }
            settings.put(text(e.getKey(), NodeFacts.MAX_KEY), text(e.getValue(), NodeFacts.MAX_VALUE));
        }
        List<PreflightRow> rows = validated == null ? List.of() : validated.outcome().rows().stream()
                .limit(NodeFacts.MAX_ROWS)
                .map(r -> new PreflightRow(text(r.check(), MAX_SHORT), r.result(), text(r.detail(),
                        NodeFacts.MAX_VALUE)))
                .toList();
        return new ResourceFacts(text(tag, MAX_SHORT), settings, rows);
    }

    /** "(unreadable: why)", one line. */
    static String unreadable(String why) {
        return "(unreadable: " + (why == null ? "unknown" : why.lines().findFirst().orElse("")) + ")";
    }

    private static String text(String value, int max) {
        return WireText.neutralise(value, max);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
