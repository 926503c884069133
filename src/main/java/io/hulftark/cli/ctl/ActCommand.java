package io.hulftark.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hulftark.cli.CtlCommand;
import io.hulftark.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code ctl act CLUSTER ACTION}: one fleet action, and with --wait its end. */
@Command(name = "act", header = "Run restore, remove, recover, quickCheck or switchover on a cluster; --wait for its end.",
        description = {"POST /api/v1/fleet/clusters/{name}/actions (an operator's token). Without --wait: prints the "
                + "accepted action (its id for 'ctl action ID') and exits 0.",
                "With --wait: reads the action every second until it ends, each step's change on stderr, then prints it; "
                        + "exits 0 when it SUCCEEDED, 1 when it FAILED or was CANCELLED, 7 when --timeout passed first.",
                "switchover: --node is the node HULFT moves to (absent: the cluster's only standby). quickCheck: "
                        + "--node absent checks every node. --tag absent: every resource of the cluster."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {CtlCommand.EXIT_0, CtlCommand.EXIT_1, CtlCommand.EXIT_2, CtlCommand.EXIT_3, CtlCommand.EXIT_4,
                CtlCommand.EXIT_5, CtlCommand.EXIT_6, CtlCommand.EXIT_7})
public class ActCommand extends CtlCall {

    static final List<String> ACTIONS = List.of("restore", "remove", "recover", "quickCheck", "switchover");

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster's name.")
    String cluster;

    @Parameters(index = "1", paramLabel = "ACTION", description = "restore, remove, recover, quickCheck or switchover.")
    String action;

    @Option(names = "--node", paramLabel = "NODE", description = "The node it runs on; for switchover the target node.")
    String node;

    @Option(names = "--tag", paramLabel = "TAG", description = "The resource's LifeKeeper tag (absent: every resource).")
    String tag;

    @Option(names = "--force", description = "Run it even though it leaves the cluster with no serving node.")
    boolean force;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit (one line, at most 500 characters).")
    String reason;

    @Option(names = "--wait", description = "Wait for the action to end; exit 0 only when it SUCCEEDED.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = Durations.class,
            description = "How long --wait waits (e.g. 90s, 10m, 1h; default: ${DEFAULT-VALUE}); the action goes on after.")
    Duration timeout;

    @Override
    int run(FleetClient client) {
        String canonical = canonical(action).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "ACTION must be one of " + String.join(", ", ACTIONS) + ", not '" + Render.cut(action, 40) + "'"));
        if (reason != null && reason.length() > 500) {
            throw new ParameterException(spec.commandLine(), "--reason is too long: at most 500 characters");
        }
        ObjectNode body = FleetClient.JSON.createObjectNode();
        body.put("action", canonical);
        body.put("node", node);
        body.put("tag", tag);
        body.put("force", force);
        body.put("reason", reason);
        FleetClient.Answer accepted = client.post("/api/v1/fleet/clusters/" + FleetClient.segment(cluster) + "/actions",
                body);
        String id = Render.text(accepted.json(), "id");
        if (!await) {
            print(accepted);
            note("action " + id + " accepted; 'hulft-ark ctl action " + id + "' shows how it goes");
            return ExitCodes.OK;
        }
        return waitFor(client, accepted, timeout, out, this::note, options.json);
    }

    static Optional<String> canonical(String action) {
        return ACTIONS.stream().filter(a -> a.equalsIgnoreCase(action.strip())).findFirst()
                .or(() -> action.strip().equalsIgnoreCase("quick-check") ? Optional.of("quickCheck") : Optional.empty());
    }

    private void print(FleetClient.Answer a) {
        if (options.json) {
            out.println(a.body());
        } else {
            Render.action(a.json(), out);
        }
    }

    /** Waits for a fleet action to end, printing each change on stderr; the exit code of how it ended. */
    static int waitFor(FleetClient client, FleetClient.Answer accepted, Duration timeout, java.io.PrintWriter out,
                       java.util.function.Consumer<String> note, boolean json) {
        String id = Render.text(accepted.json(), "id");
        Map<String, String> seen = new HashMap<>();
        Waiter.Result r = Waiter.poll(client, "/api/v1/fleet/actions/" + FleetClient.segment(id), accepted, timeout,
                Duration.ofSeconds(1), ActCommand::ended, a -> changes(a, seen, note), note);
        if (json) {
            out.println(r.last().body());
        } else {
            Render.action(r.last().json(), out);
        }
        out.flush();
        String state = Render.text(r.last().json(), "state");
        if (!r.ended()) {
            throw new CtlException(ExitCodes.WAIT_TIMEOUT, "action " + id + " is still " + state + " after "
                    + Durations.format(timeout) + "; it goes on ('hulft-ark ctl action " + id + "')");
        }
        if (state.equals("SUCCEEDED")) {
            return ExitCodes.OK;
        }
        String detail = Render.text(r.last().json(), "detail");
        throw new CtlException(ExitCodes.FAILED, "action " + id + " " + state + (detail.isEmpty() ? "" : ": " + detail));
    }

    static boolean ended(JsonNode a) {
        return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(Render.text(a, "state"));
    }

    /** Each new state of the action and of its steps, one line each, for people watching. */
    static void changes(JsonNode a, Map<String, String> seen, java.util.function.Consumer<String> note) {
        String state = Render.text(a, "state");
        if (!state.equals(seen.put("", state))) {
            note.accept("action " + Render.text(a, "id") + " (" + Render.describe(a) + "): " + state);
        }
        for (JsonNode s : a.path("steps")) {
            String key = Render.text(s, "id") + "#" + Render.text(s, "seq");
            String st = Render.text(s, "state");
            if (!st.equals(seen.put(key, st))) {
                StringBuilder b = new StringBuilder("step ").append(Render.text(s, "seq")).append(' ')
                        .append(Render.text(s, "action"));
                if (!Render.text(s, "tag").isEmpty()) {
                    b.append(' ').append(Render.text(s, "tag"));
                }
                b.append(" on ").append(Render.text(s, "node"));
                if (s.path("rollback").asBoolean()) {
                    b.append(" (rollback)");
                }
                b.append(": ").append(st);
                if (s.path("exitCode").isNumber()) {
                    b.append(" (exit ").append(s.path("exitCode").asInt());
                    if (s.path("durationMillis").isNumber()) {
                        b.append(", ").append(Render.millis(s.path("durationMillis")));
                    }
                    b.append(')');
                }
                JsonNode m = s.path("messages");
                if (!m.isEmpty()) {
                    b.append(": ").append(m.get(m.size() - 1).asText());
                }
                note.accept(Render.oneLine(b.toString()));
            }
        }
    }
}
