package io.hulftark.demo;

import java.time.Duration;
import java.time.Instant;

/** One cluster node as the demo's stand-in LifeKeeper sees it: through its agent's REST API. */
public interface Node {

    /** The node's name within its cluster, e.g. node-a. */
    String name();

    /** What the agent says of the HULFT resource now; never throws (an unreachable agent is an observation). */
    Observation observe();

    /** Runs restore or remove on the node through its agent and waits for the end; never throws. */
    Outcome act(String action, String reason);

    /** Asks the agent to check at once, so that the next observation reflects an action just taken. */
    void checkNow();

    /**
     * Whether the fleet view acts on this node: an action it sent (requested by "fleet:...") runs, or ended less than
     * {@code grace} before {@code now} (a switchover's next step, or its wait for the cluster to settle, follows).
     * Never throws: an agent that does not answer says no.
     */
    default boolean fleetActing(Instant now, Duration grace) {
        return false;
    }

    /**
     * @param status RUNNING, FAILED, STOPPED, UNKNOWN (the agent's) or UNREACHABLE (the agent did not answer)
     * @param reason the agent's one line, or why it did not answer
     */
    record Observation(String status, String reason) {
        public static final String UNREACHABLE = "UNREACHABLE";

        public boolean is(String s) {
            return status.equals(s);
        }
    }

    /** @param detail one line: "exit 0 in 1.2 s", or why the action could not be run */
    record Outcome(boolean succeeded, String detail) {
    }
}
