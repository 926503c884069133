package io.hulftark.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a node is and how its kit is set up (issue 13): sent in a {@link Report} when the agent starts and whenever
 * one of them changes, never with every heartbeat. The fleet view keeps the latest per node, lists them across the
 * fleet (inventory) and compares a cluster's nodes (drift); each resource's last preflight says whether this node
 * could take the resource over (readiness).
 *
 * <p>Settings are an allowlist the agent builds from what it knows to be harmless (paths, ports, numbers, names):
 * no token, password or key of any name ever goes into them. Keys (per resource; see {@link ResourceFacts}):
 * {@code service}, {@code startType}, {@code $debug}, {@code $exe_path}, {@code $conf_file}, {@code hulenv.PORTKEY}
 * (rcvport, obsport, ...), {@code hulenv.myhostname}, {@code hulenv.digest} (SHA-256 of the whole file),
 * {@code probe}, {@code LKHULFT_TIMEOUT}, {@code LKHULFT_RETRIES}, {@code LKHULFT_FORCE_REMOVE}, and
 * {@code hulftark.KEY} for the kit's other settings. A value that could not be read is {@code "(unreadable: why)"}.
 *
 * @param digest            SHA-256 (hex) of everything here but {@code collectedAt}: equal digests, equal facts
 * @param collectedAt       the agent's clock when collected (shown only)
 * @param lifekeeperVersion as LifeKeeper states it, or absent where it does not say reliably
 * @param validatedAt       when the last preflight ran (hulftark.agent.validate-interval, or on demand); absent
 *                          before the first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "What a node is and how its kit is set up: sent when the agent starts and when one of them "
        + "changes, never with every heartbeat", requiredProperties = {"digest"}, properties = {
        @SchemaProperty(name = "digest", description = "SHA-256 (hex) of everything here but collectedAt",
                pattern = "^[0-9a-f]{64}$"),
        @SchemaProperty(name = "collectedAt", description = "The agent's clock when collected (shown only)"),
        @SchemaProperty(name = "agentVersion", description = "The agent's version", maxLength = 64),
        @SchemaProperty(name = "os", description = "Operating system's name, e.g. Windows Server 2022", maxLength = 128),
        @SchemaProperty(name = "osVersion", description = "Operating system's version", maxLength = 128),
        @SchemaProperty(name = "jvm", description = "The agent's Java runtime, e.g. 17.0.13 (Eclipse Adoptium)",
                maxLength = 128),
        @SchemaProperty(name = "host", description = "The machine's host name", maxLength = 256),
        @SchemaProperty(name = "platform", description = "The kit's platform: windows, linux or simulated",
                maxLength = 64),
        @SchemaProperty(name = "lifekeeper", description = "Whether LifeKeeper is installed on the node"),
        @SchemaProperty(name = "lifekeeperVersion", description = "LifeKeeper's version as it states it; absent "
                + "where it does not say reliably", maxLength = 128),
        @SchemaProperty(name = "resources", description = "Each resource's settings and last preflight",
                maxItems = 64),
        @SchemaProperty(name = "validatedAt", description = "When the last preflight ran")})
public record NodeFacts(String digest, Instant collectedAt, String agentVersion, String os, String osVersion,
                        String jvm, String host, String platform, Boolean lifekeeper, String lifekeeperVersion,
                        List<ResourceFacts> resources, Instant validatedAt) {

    public NodeFacts {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /**
     * The value of hulenv.cnf's settings on a node that cannot read it because it lives on the shared disk, in service
     * on another node (hulftark.conf-file-shared=true): never compared, never drift.
     */
    public static final String ON_SHARED_DISK = "(on the shared disk: read where it is in service)";

    /** Settings per resource: at most this many. */
    public static final int MAX_SETTINGS = 128;
    /** Preflight rows per resource: at most this many. */
    public static final int MAX_ROWS = 64;
    /** Code points of a setting's key. */
    public static final int MAX_KEY = 64;
    /** Code points of a setting's value (longer ones are cut). */
    public static final int MAX_VALUE = 1000;

    /**
     * One resource (tag) as its kit on this node would run it.
     *
     * @param settings  key to value (see {@link NodeFacts}), sorted by key
     * @param preflight the last preflight of this tag (the rows of {@code hulft-ark validate}); empty before the
     *                  first
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ResourceFacts", description = "One resource as its kit on this node would run it",
            requiredProperties = {"tag"}, properties = {
            @SchemaProperty(name = "tag", description = "Its LifeKeeper tag", minLength = 1, maxLength = 64),
            @SchemaProperty(name = "settings", description = "Setting to value: service, startType, $debug, "
                    + "$exe_path, $conf_file, hulenv.* (ports, myhostname, digest), probe, LKHULFT_*, hulftark.*; "
                    + "never a secret", maxProperties = 128),
            @SchemaProperty(name = "preflight", description = "Its last preflight's rows", maxItems = 64)})
    public record ResourceFacts(String tag, Map<String, String> settings, List<PreflightRow> preflight) {
        public ResourceFacts {
            settings = settings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(settings));
            preflight = preflight == null ? List.of() : List.copyOf(preflight);
        }
    }

    /**
     * One row of a preflight.
     *
     * @param result OK, WARN or FAIL
     */
    @Schema(name = "PreflightRow", description = "One row of a preflight (hulft-ark validate)",
            requiredProperties = {"check", "result"}, properties = {
            @SchemaProperty(name = "check", description = "What was checked, e.g. conf_file", maxLength = 64),
            @SchemaProperty(name = "result", description = "Its result", enumeration = {"OK", "WARN", "FAIL"}),
            @SchemaProperty(name = "detail", description = "One line (free text: controls are neutralised, more "
                    + "than 1000 characters cut)")})
    public record PreflightRow(String check, String result, String detail) {
        public static final String OK = "OK";
        public static final String WARN = "WARN";
        public static final String FAIL = "FAIL";
    }
}
