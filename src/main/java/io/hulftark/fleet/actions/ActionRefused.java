package io.hulftark.fleet.actions;

/**
 * A fleet action that cannot start: the REST layer answers it as a problem with this status and type.
 * 404 unknown cluster/node/tag, 409 {@code action-running} (one action per cluster at a time),
 * {@code needs-force} (it would leave the cluster with no serving node), {@code actions-not-allowed} (the node's
 * agent does not run fleet actions, or a polled agent has no action credential), 400 a bad request.
 */
public class ActionRefused extends RuntimeException {

    private final int status;
    private final String kind;

    public ActionRefused(int status, String kind, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.kind = kind;
    }

    public int status() {
        return status;
    }

    public String kind() {
        return kind;
    }
}
