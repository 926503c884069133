package io.hulftark.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hulftark.cli.CtlCommand;
import io.hulftark.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** {@code ctl inventory}: every node with what it runs (every page), its counts, or the CSV export. */
@Command(name = "inventory", header = "List nodes with what they run: agent, OS, JVM, LifeKeeper, readiness, drift.",
        description = {"GET /api/v1/fleet/inventory (every page). --counts: how many nodes run what "
                + "(GET /api/v1/fleet/inventory/counts). --csv: the fleet view's CSV export of the selection, as it is.",
                "With --json: one JSON array of the API's inventory nodes (or the counts object)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {CtlCommand.EXIT_0, CtlCommand.EXIT_2, CtlCommand.EXIT_5, CtlCommand.EXIT_6})
public class InventoryCommand extends CtlCall {

    static final int PAGE = 1000;
    /** Enough for any fleet: stops a server that always answers a full page from keeping us forever. */
    static final int MAX_PAGES = 1000;
    static final List<String> SORTS = List.of("cluster", "node", "agentVersion", "os", "jvm", "lifekeeper",
            "receivedAt");

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only the nodes of this cluster.")
    String cluster;

    @Option(names = "--search", paramLabel = "TEXT", description = "Only nodes whose name, cluster or host holds TEXT.")
    String search;

    @Option(names = "--agent-version", paramLabel = "VERSION", description = "Only nodes whose agent has this version.")
    String agentVersion;

    @Option(names = "--os", paramLabel = "OS", description = "Only nodes on this OS, as --counts names it "
            + "(e.g. \"Linux 6.1.0\").")
    String os;

    @Option(names = "--jvm", paramLabel = "JVM", description = "Only nodes whose agent runs on this JVM.")
    String jvm;

    @Option(names = "--lifekeeper", paramLabel = "VERSION", description = "Only nodes with this LifeKeeper version "
            + "(\"(none)\": without LifeKeeper, \"(unknown)\": its version not known).")
    String lifekeeper;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "Only nodes labelled so (repeatable: every one must match).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--not-ready", description = "Only nodes whose last preflight failed a check.")
    boolean notReady;

    @Option(names = "--sort", paramLabel = "ORDER", defaultValue = "cluster",
            description = "cluster, node, agentVersion, os, jvm, lifekeeper or receivedAt; default: ${DEFAULT-VALUE}.")
    String sort;

    @Option(names = "--desc", description = "Sort descending.")
    boolean desc;

    @Option(names = "--counts", description = "How many nodes run each agent version, OS, JVM and LifeKeeper version.")
    boolean counts;

    @Option(names = "--csv", description = "Print the fleet view's CSV export of the selection.")
    boolean csv;

    @Override
    int run(FleetClient client) {
        if (counts) {
            return counts(client);
        }
        String order = SORTS.stream().filter(s -> s.equalsIgnoreCase(sort)).findFirst().orElseThrow(() ->
                new ParameterException(spec.commandLine(), "--sort takes " + String.join(", ", SORTS) + ", not '"
                        + Render.cut(sort, 40) + "'"));
        List<Map.Entry<String, String>> wanted = Labels.parse(spec.commandLine(), labels);
        List<Map.Entry<String, String>> q = new ArrayList<>();
        q.add(FleetClient.param("cluster", cluster));
        q.add(FleetClient.param("q", search));
        q.add(FleetClient.param("agentVersion", agentVersion));
        q.add(FleetClient.param("os", os));
        q.add(FleetClient.param("jvm", jvm));
        q.add(FleetClient.param("lifekeeper", lifekeeper));
        q.add(FleetClient.param("readiness", notReady ? "true" : null)); // true: the last preflight failed
        wanted.forEach(l -> q.add(FleetClient.param("label", l.getKey() + "=" + l.getValue())));
        q.add(FleetClient.param("sort", order));
        q.add(FleetClient.param("order", desc ? "desc" : "asc"));
        if (csv) {
            List<Map.Entry<String, String>> csvQuery = new ArrayList<>(q);
            csvQuery.add(FleetClient.param("format", "csv"));
            out.print(client.getText("/api/v1/fleet/inventory" + FleetClient.query(csvQuery), "text/csv").body());
            return ExitCodes.OK;
        }
        List<JsonNode> nodes = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            List<Map.Entry<String, String>> paged = new ArrayList<>(q);
            paged.add(FleetClient.param("offset", Integer.toString(page * PAGE)));
            paged.add(FleetClient.param("limit", Integer.toString(PAGE)));
            JsonNode body = client.get("/api/v1/fleet/inventory" + FleetClient.query(paged)).json();
            JsonNode items = body == null ? null : body.path("nodes");
            if (items == null || !items.isArray()) {
                throw new CtlException(ExitCodes.UNREACHABLE, client.base() + " answered an inventory page without "
                        + "nodes: is it a fleet view of issue 13 or later?");
            }
            items.forEach(nodes::add);
            if (items.size() < PAGE || (long) (page + 1) * PAGE >= body.path("total").asLong()) {
                break;
            }
        }
        if (options.json) {
            ArrayNode all = FleetClient.JSON.createArrayNode();
            all.addAll(nodes);
            out.println(all);
            return ExitCodes.OK;
        }
        Table t = new Table("CLUSTER", "NODE", "FRESH", "AGENT", "OS", "JVM", "LIFEKEEPER", "PREFLIGHT", "DRIFT");
        for (JsonNode n : nodes) {
            int failing = n.path("readinessFailures").asInt();
            t.row(Render.text(n, "cluster"), Render.text(n, "node"), n.path("fresh").asBoolean() ? "yes" : "no",
                    Render.text(n, "agentVersion"), (Render.text(n, "os") + " " + Render.text(n, "osVersion")).strip(),
                    Render.text(n, "jvm"), lifekeeper(n), !n.path("validatedAt").isTextual() ? "not run"
                            : failing == 0 ? "ok" : failing + " failing",
                    n.path("drifting").asBoolean() ? "cluster drifts" : "");
        }
        t.print(out);
        out.println(nodes.size() == 1 ? "1 node" : nodes.size() + " nodes");
        return ExitCodes.OK;
    }

    private int counts(FleetClient client) {
        JsonNode body = client.get("/api/v1/fleet/inventory/counts").json();
        if (body == null || !body.path("agentVersion").isObject()) {
            throw new CtlException(ExitCodes.UNREACHABLE, client.base() + " answered counts without agentVersion: "
                    + "is it a fleet view of issue 13 or later?");
        }
        if (options.json) {
            out.println(body);
            return ExitCodes.OK;
        }
        Table t = new Table("WHAT", "VALUE", "NODES");
        for (String what : List.of("agentVersion", "os", "jvm", "lifekeeper")) {
            Iterator<Map.Entry<String, JsonNode>> it = body.path(what).fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                t.row(what, Render.cut(e.getKey(), 80), Long.toString(e.getValue().asLong()));
            }
        }
        t.print(out);
        out.println(body.path("total").asLong() + " nodes");
        return ExitCodes.OK;
    }

    private static String lifekeeper(JsonNode n) {
        if (n.path("lifekeeper").isBoolean() && !n.path("lifekeeper").asBoolean()) {
            return "none";
        }
        return n.path("lifekeeperVersion").isTextual() ? n.path("lifekeeperVersion").asText()
                : n.path("lifekeeper").asBoolean() ? "(version unknown)" : "";
    }
}
