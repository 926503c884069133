package io.hulftark.fleet.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hulftark.agent.Status;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

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
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Report(String cluster, String node, String agentVersion, Instant agentStartedAt, long seq,
                     Instant sentAt, List<Resource> resources, List<Event> events, long dropped, String instance) {

    public Report {
        resources = resources == null ? List.of() : List.copyOf(resources);
        events = events == null ? List.of() : List.copyOf(events);
    }

    /** A report without an instance id (an agent before it). */
    public Report(String cluster, String node, String agentVersion, Instant agentStartedAt, long seq,
                  Instant sentAt, List<Resource> resources, List<Event> events, long dropped) {
        this(cluster, node, agentVersion, agentStartedAt, seq, sentAt, resources, events, dropped, null);
    }

    /** The same report with other events. */
    public Report withEvents(List<Event> events) {
        return new Report(cluster, node, agentVersion, agentStartedAt, seq, sentAt, resources, events, dropped, instance);
    }

    /** One LifeKeeper resource (a HULFT service) as the agent sees it now. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ReportResource")
    public record Resource(String tag, String service, Status status, String role, Instant since, String reason,
                           Instant checkedAt, List<Port> ports) {
        public Resource {
            ports = ports == null ? List.of() : List.copyOf(ports);
        }
    }

    /** One port of the last check. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ReportPort")
    public record Port(String key, int port, boolean ok, long latencyMicros, String detail) {
    }

    /**
     * A transition or an action step from the agent's history.
     *
     * @param type "transition" or "action"
     * @param text one line for people: "RUNNING → FAILED: port 30000 does not answer", "restore by alice: SUCCEEDED (exit 0, 2.1 s)"
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ReportEvent")
    public record Event(long seq, Instant at, String tag, String type, String text) {
    }
}
