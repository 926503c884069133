package io.hulftark.ocf;

/** The OCF resource-agent API's exit codes (OCF 1.0, section "Return codes"), in one place. */
public enum OcfCode {
    SUCCESS(0),
    /** Failed, for a reason the codes below do not name; a monitor: running but not healthy. */
    ERR_GENERIC(1),
    /** The agent was called wrongly (no action). */
    ERR_ARGS(2),
    /** An action this agent does not implement (notify, promote, ...). */
    ERR_UNIMPLEMENTED(3),
    ERR_PERM(4),
    /** Something this node lacks: HULFT's bin folder, its commands, hulenv.cnf, the service. Pacemaker tries another node. */
    ERR_INSTALLED(5),
    /** The resource's parameters are wrong: the same on every node, so Pacemaker stops trying anywhere. */
    ERR_CONFIGURED(6),
    /** Cleanly stopped. */
    NOT_RUNNING(7);

    private final int exit;

    OcfCode(int exit) {
        this.exit = exit;
    }

    public int exit() {
        return exit;
    }
}
