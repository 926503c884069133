package io.hulftark.cli.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.hulftark.cli.CtlCommand;
import io.hulftark.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** {@code ctl events}: the fleet's history, or with --follow its live stream. */
@Command(name = "events", header = "Show the latest events of the fleet, or --follow them as they come.",
        description = {"GET /api/v1/fleet/events (newest N, shown oldest first; --json: the API's array, newest first).",
                "--follow: reads GET /api/v1/fleet/stream (Server-Sent Events) and prints each new event as it comes, "
                        + "one line each (--json: one JSON object per line); reconnects where it left off when the "
                        + "connection drops; Ctrl-C or SIGTERM ends it with exit 0."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {CtlCommand.EXIT_0, CtlCommand.EXIT_2, CtlCommand.EXIT_5, CtlCommand.EXIT_6})
public class EventsCommand extends CtlCall {

    static final List<String> KINDS = List.of("STATE", "TRANSITION", "ACTION", "ACK", "MAINTENANCE", "NODE", "CONFIG");
    /** How long --follow tries to get its stream back before it gives up with exit 6. */
    static final long RECONNECT_FOR_NANOS = TimeUnit.SECONDS.toNanos(60);

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "Only events of this cluster.")
    String cluster;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "Only events of this kind: STATE, TRANSITION, ACTION, ACK, MAINTENANCE or NODE.")
    String kind;

    @Option(names = "--node", paramLabel = "NODE", description = "Only events of this node.")
    String node;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "How many of the latest events, 1 to 1000 (default: ${DEFAULT-VALUE}); not with --follow.")
    int limit;

    @Option(names = "--follow", description = "Print new events as they come until stopped (Ctrl-C, SIGTERM).")
    boolean follow;

    private volatile boolean stopping;
    private final AtomicReference<InputStream> current = new AtomicReference<>();

    @Override
    int run(FleetClient client) {
        String k = kind == null ? null : kind.strip().toUpperCase(Locale.ROOT);
        if (k != null && !KINDS.contains(k)) {
            throw new ParameterException(spec.commandLine(), "--kind takes one of " + String.join(", ", KINDS)
                    + ", not '" + Render.cut(kind, 40) + "'");
        }
        if (limit < 1 || limit > 1000) {
            throw new ParameterException(spec.commandLine(), "--limit must be from 1 to 1000, not " + limit);
        }
        if (follow) {
            return follow(client, new Filter(cluster, k, node));
        }
        FleetClient.Answer a = client.get("/api/v1/fleet/events" + FleetClient.query(List.of(
                FleetClient.param("cluster", cluster == null ? "" : cluster), FleetClient.param("kind", k == null ? "" : k),
                FleetClient.param("node", node == null ? "" : node), FleetClient.param("order", "NEWEST"),
                FleetClient.param("limit", Integer.toString(limit)))
                .stream().filter(e -> !e.getValue().isEmpty()).toList()));
        if (options.json) {
            out.println(a.body());
        } else {
            List<JsonNode> oldestFirst = new ArrayList<>();
            a.json().forEach(e -> oldestFirst.add(0, e));
            Render.events(FleetClient.JSON.valueToTree(oldestFirst), out);
        }
        return ExitCodes.OK;
    }

    /** Which events of the stream to print (the stream carries every event of the fleet). */
    record Filter(String cluster, String kind, String node) {
        boolean test(JsonNode e) {
            return (cluster == null || cluster.equals(Render.text(e, "cluster")))
                    && (kind == null || kind.equals(Render.text(e, "kind")))
                    && (node == null || node.equals(Render.text(e, "node")));
        }
    }

    private int follow(FleetClient client, Filter filter) {
        // Ctrl-C and SIGTERM end a follow as intended: print what was read, and exit 0 rather than 130/143.
        Thread hook = new Thread(() -> {
            stopping = true;
            closeQuietly(current.get());
            out.flush();
            Runtime.getRuntime().halt(ExitCodes.OK);
        }, "ctl-events-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return followUntilStopped(client, filter);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it ends the process
            }
        }
    }

    private int followUntilStopped(FleetClient client, Filter filter) {
        long lastId = -1;
        boolean first = true;
        long failingSince = 0;
        while (!stopping) {
            InputStream in;
            try {
                in = client.stream("/api/v1/fleet/stream", lastId < 0 ? Optional.empty() : Optional.of(Long.toString(lastId)));
            } catch (CtlException e) {
                // The first connection fails at once, as any request; later ones are a fleet view restarting.
                if (first || e.exitCode() != ExitCodes.UNREACHABLE) {
                    throw e;
                }
                if (System.nanoTime() - failingSince > RECONNECT_FOR_NANOS) {
                    throw new CtlException(ExitCodes.UNREACHABLE, e.getMessage() + " (for "
                            + TimeUnit.NANOSECONDS.toSeconds(RECONNECT_FOR_NANOS) + " s)");
                }
                pause();
                continue;
            }
            current.set(in);
            note((first ? "following " : "following again ") + client.base() + "/api/v1/fleet/stream (Ctrl-C ends)");
            first = false;
            try {
                lastId = read(in, filter, lastId);
            } catch (IOException dropped) {
                // reconnect below
            } finally {
                closeQuietly(in);
            }
            if (!stopping) {
                note("the stream ended; connecting again");
                failingSince = System.nanoTime();
                pause();
            }
        }
        return ExitCodes.OK;
    }

    /** Reads Server-Sent Events until the stream ends; returns the id of the last event seen. */
    long read(InputStream in, Filter filter, long lastId) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String event = "";
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line; (line = r.readLine()) != null; ) {
            if (line.isEmpty()) {
                lastId = dispatch(event, id, data.toString(), filter, lastId);
                event = "";
                id = null;
                data.setLength(0);
            } else if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(field(line, 5));
            } else if (line.startsWith("event:")) {
                event = field(line, 6);
            } else if (line.startsWith("id:")) {
                id = field(line, 3);
            }
        }
        return lastId;
    }

    private long dispatch(String event, String id, String data, Filter filter, long lastId) {
        if (!event.isEmpty() && !event.equals("message") || data.isEmpty()) {
            return lastId; // a ping
        }
        long n = id == null ? -1 : parseId(id);
        if (n >= 0 && n <= lastId) {
            return lastId; // replayed after a reconnect, printed before
        }
        JsonNode e;
        try {
            e = FleetClient.JSON.readTree(data);
        } catch (JsonProcessingException bad) {
            note("skipped an event that is not JSON");
            return Math.max(lastId, n);
        }
        if (filter.test(e)) {
            out.println(options.json ? Render.oneLine(data) : Render.eventLine(e));
            out.flush();
        }
        return Math.max(lastId, n);
    }

    private static String field(String line, int from) {
        String v = line.substring(from);
        return v.startsWith(" ") ? v.substring(1) : v;
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException | RuntimeException ignored) {
                // closing a stream that is going anyway
            }
        }
    }
}
