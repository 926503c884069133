package io.hulftark.fleet.metrics;

/**
 * Why a report sent to {@code POST /api/v1/fleet/reports} was not taken, as the {@code reason} label of
 * {@code hulftark_fleet_report_failures_total}: a small fixed set, so the counter never grows a series per client.
 * Refusals (the sender's fault: credential, shape, size, rate) and failures (ours: store unavailable, an error) are
 * told apart by {@link #ours}, so an alert can page for the one and warn for the other.
 */
public final class ReportFailures {

    /** The connection ended before an answer was sent. */
    public static final String RESET = "reset";

    private ReportFailures() {
    }

    /** @return the reason for an answer of this status, or null for a report taken (2xx) */
    public static String reason(int status) {
        return switch (status) {
            case 400 -> "malformed";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 408 -> "timeout";
            case 413 -> "too_large";
            case 415 -> "unsupported_type";
            case 422 -> "invalid";
            case 429 -> "throttled";
            case 503 -> "unavailable";
            default -> status < 300 ? null : status < 500 ? "refused" : "error";
        };
    }

    /** Whether the fleet view, not the sender, is at fault. */
    public static boolean ours(String reason) {
        return reason.equals("unavailable") || reason.equals("error");
    }
}
