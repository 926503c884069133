package io.hulftark.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hulftark.cli.CtlCommand;
import io.hulftark.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code ctl batch ACTION}: one action over a selection of clusters, rolled out a few at a time. */
@Command(name = "batch", header = "Run an action over many clusters, a few at a time; --wait for the batch's end.",
        description = {"POST /api/v1/fleet/batches (an operator's token). The selection: --cluster names, and/or "
                + "--state, --label, --search as 'ctl clusters' takes them, or --all.",
                "With --wait: reads the batch every 2 seconds until it ends, each cluster's change on stderr; exits 0 "
                        + "when it SUCCEEDED, 1 when it ended FAILED, STOPPED or CANCELLED, 7 when --timeout passed first.",
                "Example: hulft-ark ctl batch switchover --label site=osaka --concurrency 2 --stop-on-failure "
                        + "--reason 'OS patches' --wait"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {CtlCommand.EXIT_0, CtlCommand.EXIT_1, CtlCommand.EXIT_2, CtlCommand.EXIT_3, CtlCommand.EXIT_4,
                CtlCommand.EXIT_5, CtlCommand.EXIT_6, CtlCommand.EXIT_7})
public class BatchCommand extends CtlCall {

    @Parameters(index = "0", paramLabel = "ACTION", description = "restore, remove, recover, quickCheck or switchover.")
    String action;

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "A cluster to include (repeatable).")
    List<String> clusters = new ArrayList<>();

    @Option(names = "--state", paramLabel = "STATE", description = "Only clusters in this state.")
    String state;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Only clusters labelled so (repeatable: all must match).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--search", paramLabel = "TEXT", description = "Only clusters whose name, a node or a label holds TEXT.")
    String search;

    @Option(names = "--all", description = "Every cluster the fleet view knows (instead of a selection).")
    boolean all;

    @Option(names = "--node", paramLabel = "NODE", description = "The node each action runs on (switchover: the target; "
            + "absent: each cluster's only standby).")
    String node;

    @Option(names = "--tag", paramLabel = "TAG", description = "The resource's tag (absent: every resource).")
    String tag;

    @Option(names = "--force", description = "Run even where it leaves a cluster with no serving node.")
    boolean force;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "1",
            description = "How many clusters at a time, 1 to 50 (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--stop-on-failure", description = "Start no more clusters after the first failure.")
    boolean stopOnFailure;

    @Option(names = "--pause", paramLabel = "DURATION", defaultValue = "0", converter = Durations.class,
            description = "A pause before each next cluster (e.g. 30s; default: none).")
    Duration pause;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit (one line, at most 500 characters).")
    String reason;

    @Option(names = "--wait", description = "Wait for the batch to end; exit 0 only when it SUCCEEDED.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2h", converter = Durations.class,
            description = "How long --wait waits (default: ${DEFAULT-VALUE}); the batch goes on after.")
    Duration timeout;

    @Override
    int run(FleetClient client) {
        String canonical = ActCommand.canonical(action).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "ACTION must be one of " + String.join(", ", ActCommand.ACTIONS) + ", not '" + Render.cut(action, 40) + "'"));
        if (concurrency < 1 || concurrency > 50) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be from 1 to 50, not " + concurrency);
        }
        if (reason != null && reason.length() > 500) {
            throw new ParameterException(spec.commandLine(), "--reason is too long: at most 500 characters");
        }
        List<Map.Entry<String, String>> wanted = Labels.parse(spec.commandLine(), labels);
        boolean selects = !clusters.isEmpty() || state != null || search != null || !wanted.isEmpty();
        if (selects == all) {
            // A batch over every cluster should be asked for in so many words, never by a forgotten filter.
            throw new ParameterException(spec.commandLine(), all ? "--all selects every cluster: leave out --cluster, "
                    + "--state, --label and --search" : "say which clusters: --cluster, --state, --label, --search or --all");
        }
        ObjectNode body = FleetClient.JSON.createObjectNode();
        body.put("action", canonical);
        body.put("node", node);
        body.put("tag", tag);
        body.put("force", force);
        body.put("reason", reason);
        ObjectNode selection = body.putObject("selection");
        if (!clusters.isEmpty()) {
            clusters.forEach(selection.putArray("clusters")::add);
        }
        // Only the criteria given: an empty selection ({}, --all) is the fleet view's "every cluster".
        if (state != null) {
            selection.put("state", state);
        }
        if (search != null) {
            selection.put("q", search);
        }
        if (!wanted.isEmpty()) {
            ObjectNode l = selection.putObject("labels");
            wanted.forEach(e -> l.put(e.getKey(), e.getValue()));
        }
        body.put("concurrency", concurrency);
        body.put("stopOnFailure", stopOnFailure);
        body.put("pauseSeconds", pause.toSeconds());
        FleetClient.Answer accepted = client.post("/api/v1/fleet/batches", body);
        String id = Render.text(accepted.json(), "id");
        if (!await) {
            BatchStatusCommand.print(accepted, out, options.json);
            note("batch " + id + " accepted; 'hulft-ark ctl batch-status " + id + "' shows how it goes");
            return ExitCodes.OK;
        }
        return waitFor(client, accepted, timeout, out, this::note, options.json);
    }

    static boolean ended(JsonNode b) {
        return List.of("SUCCEEDED", "FAILED", "STOPPED", "CANCELLED").contains(Render.text(b, "state"));
    }

    static int waitFor(FleetClient client, FleetClient.Answer accepted, Duration timeout, PrintWriter out,
                       Consumer<String> note, boolean json) {
        String id = Render.text(accepted.json(), "id");
        Map<String, String> seen = new HashMap<>();
        Waiter.Result r = Waiter.poll(client, "/api/v1/fleet/batches/" + FleetClient.segment(id), accepted, timeout,
                Duration.ofSeconds(2), BatchCommand::ended, b -> changes(b, seen, note), note);
        BatchStatusCommand.print(r.last(), out, json);
        out.flush();
        String state = Render.text(r.last().json(), "state");
        if (!r.ended()) {
            throw new CtlException(ExitCodes.WAIT_TIMEOUT, "batch " + id + " is still " + state + " after "
                    + Durations.format(timeout) + " (" + Render.counts(r.last().json()) + "); it goes on");
        }
        if (state.equals("SUCCEEDED")) {
            return ExitCodes.OK;
        }
        throw new CtlException(ExitCodes.FAILED, "batch " + id + " " + state + ": " + Render.counts(r.last().json()));
    }

    /** Each new state of the batch and of each of its clusters, one line each. */
    static void changes(JsonNode b, Map<String, String> seen, Consumer<String> note) {
        String state = Render.text(b, "state");
        if (!state.equals(seen.put("", state))) {
            note.accept("batch " + Render.text(b, "id") + ": " + state + " (" + Render.counts(b) + ")");
        }
        for (JsonNode c : b.path("clusters")) {
            String st = Render.text(c, "state");
            if (!st.equals(seen.put("cluster:" + Render.text(c, "cluster"), st)) && !st.equals("PENDING")) {
                String detail = Render.text(c, "detail");
                note.accept(Render.oneLine(Render.text(c, "cluster") + ": " + st
                        + (Render.text(c, "actionId").isEmpty() ? "" : " (action " + Render.text(c, "actionId") + ")")
                        + (detail.isEmpty() ? "" : ": " + detail)));
            }
        }
    }
}
