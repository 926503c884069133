package io.hulftark.agent;

import io.hulftark.wire.Status;

import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;
import java.util.Optional;

/**
 * A resource's status with its threshold: a healthy observation (RUNNING, STOPPED) takes effect at
 * once, an unhealthy one (FAILED, UNKNOWN) only after {@code failuresBeforeFailed} in a row, so a
 * single dropped connection does not raise an alarm. Not thread-safe: the agent calls it from one
 * check at a time per resource.
 */
public final class ResourceState {

    /** A status change, for the journal and the events. */
    @Schema(description = "A status change", requiredProperties = {"tag", "from", "to", "at", "reason"}, properties = {
            @SchemaProperty(name = "tag", description = "The resource's tag"),
            @SchemaProperty(name = "from", description = "The status before"),
            @SchemaProperty(name = "to", description = "The status after"),
            @SchemaProperty(name = "at", description = "When"),
            @SchemaProperty(name = "reason", description = "Why, one line")})
    public record Transition(String tag, Status from, Status to, Instant at, String reason) { }

    private final String tag;
    private final int failuresBeforeFailed;
    private Status status = Status.UNKNOWN;
    private String reason = "not checked yet";
    private Instant since;
    private CheckResult last;
    private int unhealthyInARow;

    public ResourceState(String tag, int failuresBeforeFailed, Instant created) {
        this.tag = tag;
        this.failuresBeforeFailed = failuresBeforeFailed;
        this.since = created;
    }

    /** Restores the status the journal last recorded, so that {@code since} survives a restart. */
    public void restore(Status status, String reason, Instant since) {
        this.status = status;
        this.reason = reason;
        this.since = since;
    }

    public Optional<Transition> record(CheckResult check) {
        last = check;
        if (check.observed() == status) {
            unhealthyInARow = 0;
            reason = check.reason();
            return Optional.empty();
        }
        if (!check.observed().healthy()) {
            unhealthyInARow++;
            if (unhealthyInARow < failuresBeforeFailed) {
                return Optional.empty();
            }
        }
        Transition t = new Transition(tag, status, check.observed(), check.at(), check.reason());
        status = check.observed();
        reason = check.reason();
        since = check.at();
        unhealthyInARow = 0;
        return Optional.of(t);
    }

    public String tag() {
        return tag;
    }

    public Status status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public Instant since() {
        return since;
    }

    public Optional<CheckResult> last() {
        return Optional.ofNullable(last);
    }
}
