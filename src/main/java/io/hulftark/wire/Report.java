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
 * What an agent tells the fleet view: its full current state and the transitions and actions the fleet view
 * has not acknowledged yet. The same document is pushed by the agent (POST /api/v1/fleet/reports) and served
 * to a polling fleet view (GET /api/v1/report on the agent).
 *
 * <p>Order, by what the fleet view controls and never by the agent's clock: of two reports of one agent process
 * ({@code instance}) the one with the greater {@code seq} is newer; a report of another process than the latest
 * is newer than it, because the fleet view received it later. An older or equal one changes no state, but its
 * events are still taken (each event once, by its seq).
 *
 * @param agentStartedAt when the agent process started (its own clock: shown, never used to order)
 * @param seq            increases with every report of one agent process
 * @param sentAt         the agent's clock when sent: only used to show clock skew, never for freshness
 * @param events         transitions and actions in seq order, each with the agent's durable event seq
 * @param dropped        events the agent had to drop or set aside since its start (backlog full, or refused)
 * @param instance       random per agent process; absent from agents before it, which count as one process per
 *                       agentStartedAt
 */
@Schema(description = "An agent's report: its full state now and the events the fleet view has not acknowledged",
        requiredProperties = {"cluster", "node", "agentStartedAt", "seq", "sentAt"}, properties = {
        @SchemaProperty(name = "cluster", description = "The cluster's name", pattern = "^[A-Za-z0-9._@-]{1,64}$"),
        @SchemaProperty(name = "node", description = "The node's name", pattern = "^[A-Za-z0-9._@-]{1,64}$"),
        @SchemaProperty(name = "agentVersion", description = "The agent's version (free text: controls are neutralised, "
                + "more than 64 characters cut)"),
        @SchemaProperty(name = "agentStartedAt", description = "When the agent process started (its clock; 1970 to 9999): "
                + "shown, never used to order reports"),
        @SchemaProperty(name = "seq", description = "Grows with every report of one agent process", minimum = "0"),
        @SchemaProperty(name = "sentAt", description = "The agent's clock when sent (1970 to 9999): only shown as clock "
                + "skew"),
        @SchemaProperty(name = "resources", description = "Every resource of the node, each tag once", maxItems = 64),
        @SchemaProperty(name = "events", description = "Transitions and actions in seq order", maxItems = 1000),
        @SchemaProperty(name = "dropped", description = "Events the agent had to drop or set aside since it started "
                + "(backlog full, or refused)", minimum = "0"),
        @SchemaProperty(name = "instance", description = "Random per agent process: reports of one process are "
                + "ordered by seq, a report of another process is newer when the fleet view receives it later; "
                + "absent from older agents (one process per agentStartedAt)", pattern = "^[A-Za-z0-9._@-]{1,64}$"),
        @SchemaProperty(name = "labels", description = "The node's labels from its configuration "
                + "(hulftark.agent.labels, e.g. site=osaka): key to value", maxProperties = 32),
        @SchemaProperty(name = "fleetActions", description = "Whether this agent runs actions the fleet view sends "
                + "(hulftark.agent.fleet-actions.enabled; absent from older agents: no)"),
        @SchemaProperty(name = "actionsVia", description = "How this agent runs restore, remove and recover: through "
                + "LifeKeeper's perform_action, or the kit directly", enumeration = {"lifekeeper", "direct"}),
        @SchemaProperty(name = "facts", description = "What the node is and how its kit is set up, with each "
                + "resource's last preflight: sent when the agent starts and when they change, absent otherwise "
                + "(the fleet view keeps the last ones it received)")})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(String cluster, String node, String agentVersion, Instant agentStartedAt, long seq,
                     Instant sentAt, List<Resource> resources, List<Event> events, long dropped, String instance,
                     Map<String, String> labels, Boolean fleetActions, String actionsVia, NodeFacts facts) {

    public Report {
        resources = resources == null ? List.of() : List.copyOf(resources);
        events = events == null ? List.of() : List.copyOf(events);
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** A report without facts (a heartbeat whose facts did not change, or an agent before them). */
    public Report(String cluster, String node, String agentVersion, Instant agentStartedAt, long seq,
                  Instant sentAt, List<Resource> resources, List<Event> events, long dropped, String instance,
                  Map<String, String> labels, Boolean fleetActions, String actionsVia) {
        this(cluster, node, agentVersion, agentStartedAt, seq, sentAt, resources, events, dropped, instance, labels,
                fleetActions, actionsVia, null);
    }

    /** A report of an agent without labels or fleet actions. */
    public Report(String cluster, String node, String agentVersion, Instant agentStartedAt, long seq,
                  Instant sentAt, List<Resource> resources, List<Event> events, long dropped, String instance) {
        this(cluster, node, agentVersion, agentStartedAt, seq, sentAt, resources, events, dropped, instance, null,
                null, null);
    }

    /** A report without an instance id (an agent before it). */
    public Report(String cluster, String node, String agentVersion, Instant agentStartedAt, long seq,
                  Instant sentAt, List<Resource> resources, List<Event> events, long dropped) {
        this(cluster, node, agentVersion, agentStartedAt, seq, sentAt, resources, events, dropped, null);
    }

    /** The same report with other events. */
    public Report withEvents(List<Event> events) {
        return new Report(cluster, node, agentVersion, agentStartedAt, seq, sentAt, resources, events, dropped, instance,
                labels, fleetActions, actionsVia, facts);
    }

    /** The same report with another count of dropped events. */
    public Report withDropped(long dropped) {
        return new Report(cluster, node, agentVersion, agentStartedAt, seq, sentAt, resources, events, dropped, instance,
                labels, fleetActions, actionsVia, facts);
    }

    /** The same report with these facts (null: none). */
    public Report withFacts(NodeFacts facts) {
        return new Report(cluster, node, agentVersion, agentStartedAt, seq, sentAt, resources, events, dropped, instance,
                labels, fleetActions, actionsVia, facts);
    }

    /** One LifeKeeper resource (a HULFT service) as the agent sees it now. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ReportResource", description = "One resource as the agent sees it now",
            requiredProperties = {"tag", "status", "role"}, properties = {
            @SchemaProperty(name = "tag", description = "Its LifeKeeper tag", minLength = 1, maxLength = 64),
            @SchemaProperty(name = "service", description = "Its service's name", maxLength = 256),
            @SchemaProperty(name = "status", description = "Its status"),
            @SchemaProperty(name = "role", description = "active, standby or unknown", minLength = 1, maxLength = 64),
            @SchemaProperty(name = "since", description = "Since when it has this status"),
            @SchemaProperty(name = "reason", description = "Why this status, one line (free text: controls are "
                    + "neutralised, more than 1000 characters cut)"),
            @SchemaProperty(name = "checkedAt", description = "When it was last checked"),
            @SchemaProperty(name = "ports", description = "Its ports in the last check", maxItems = 64)})
    public record Resource(String tag, String service, Status status, String role, Instant since, String reason,
                           Instant checkedAt, List<Port> ports) {
        public Resource {
            ports = ports == null ? List.of() : List.copyOf(ports);
        }
    }

    /** One port of the last check. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ReportPort", description = "One port of the last check", properties = {
            @SchemaProperty(name = "key", description = "Its key in hulenv.cnf", maxLength = 64),
            @SchemaProperty(name = "port", description = "The port number", minimum = "0", maximum = "65535"),
            @SchemaProperty(name = "ok", description = "Whether it answered"),
            @SchemaProperty(name = "latencyMicros", description = "How long the probe took", minimum = "0"),
            @SchemaProperty(name = "detail", description = "Why not, when it did not answer (free text: controls "
                    + "are neutralised, more than 1000 characters cut)")})
    public record Port(String key, int port, boolean ok, long latencyMicros, String detail) {
    }

    /**
     * A transition or an action step from the agent's history.
     *
     * @param type "transition" or "action"
     * @param text one line for people: "RUNNING → FAILED: port 30000 does not answer", "restore by alice: SUCCEEDED (exit 0, 2.1 s)"
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ReportEvent", description = "A transition or an action step from the agent's history",
            requiredProperties = {"seq", "at", "type"}, properties = {
            @SchemaProperty(name = "seq", description = "The agent's durable event seq", minimum = "0"),
            @SchemaProperty(name = "at", description = "When it happened (the agent's clock; 1970 to 9999)"),
            @SchemaProperty(name = "tag", description = "The resource's tag", maxLength = 64),
            @SchemaProperty(name = "type", description = "What it is", enumeration = {"transition", "action"}),
            @SchemaProperty(name = "text", description = "One line for people (free text: controls are neutralised, "
                    + "more than 1000 characters cut; absent or empty is kept as \"(no text)\")"),
            @SchemaProperty(name = "action", description = "An action's record, for type action: how the fleet view "
                    + "learns the outcome of an action it asked for (by its id)")})
    public record Event(long seq, Instant at, String tag, String type, String text, ActionOutcome action) {

        public Event(long seq, Instant at, String tag, String type, String text) {
            this(seq, at, tag, type, text, null);
        }
    }
}
