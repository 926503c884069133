package io.hulftark.agent;

import java.time.Instant;

/** What the API shows of a resource: its status since when, and the last check's details. */
public record ResourceView(String tag, String service, Status status, Instant since, String reason, String role,
                           CheckResult lastCheck) {
}
