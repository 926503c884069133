package io.hulftark.fleet.api;

import io.hulftark.fleet.FleetService;
import io.hulftark.fleet.view.InventoryCounts;
import io.hulftark.fleet.view.InventoryNode;
import io.hulftark.fleet.view.InventoryPage;
import io.hulftark.fleet.view.InventoryQuery;
import io.hulftark.http.CommonProblems;
import io.hulftark.http.Params;
import io.hulftark.http.Problem;
import io.hulftark.http.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The fleet's inventory (issue 13): every known node with what it runs, as pages, as one CSV of all that match,
 * and counted per agent version, OS, JVM and LifeKeeper version. Reads: a viewer credential.
 */
@Path("/api/v1/fleet/inventory")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "fleet")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = CommonProblems.UNAUTHORIZED,
        headers = @Header(name = "WWW-Authenticate", description = "How to authenticate: " + CommonProblems.CHALLENGE,
                required = true, schema = @Schema(type = SchemaType.STRING)),
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = CommonProblems.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = CommonProblems.UNAVAILABLE,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class InventoryResource {

    static final String CSV = FleetActionResource.CSV;
    /** The sort parameter's values, as the JSON names the fields. */
    static final Map<String, InventoryQuery.Sort> SORTS = Map.of("cluster", InventoryQuery.Sort.CLUSTER,
            "node", InventoryQuery.Sort.NODE, "agentVersion", InventoryQuery.Sort.AGENT_VERSION,
            "os", InventoryQuery.Sort.OS, "jvm", InventoryQuery.Sort.JVM, "lifekeeper", InventoryQuery.Sort.LIFEKEEPER,
            "receivedAt", InventoryQuery.Sort.RECEIVED_AT);
    private static final List<String> SORT_NAMES = List.of("cluster", "node", "agentVersion", "os", "jvm",
            "lifekeeper", "receivedAt");
    /** Longest text a filter takes: the longest "os osVersion" the facts allow. */
    static final int MAX_FILTER = 257;

    private final FleetService fleet;

    public InventoryResource(FleetService fleet) {
        this.fleet = fleet;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(summary = "The fleet's nodes with their facts, filtered, searched, sorted and paged; as CSV (all that "
            + "match) with Accept: text/csv or format=csv")
    @APIResponse(responseCode = "200", description = "A page of the nodes that match; as CSV all of them",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = InventoryPage.class)),
                    @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING, description = "A header row, "
                            + "then one row per node in the asked order (RFC 4180; a cell that begins with = + - or @ "
                            + "begins with ')"))})
    @APIResponse(responseCode = "400", description = "A parameter is out of its range or not one of its values",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response inventory(
            @Parameter(description = "Only nodes of this cluster (exact)",
                    schema = @Schema(type = SchemaType.STRING, maxLength = MAX_FILTER))
            @QueryParam("cluster") String cluster,
            @Parameter(description = "Only nodes whose name, cluster's name or host name holds this (case-insensitive)",
                    schema = @Schema(type = SchemaType.STRING, maxLength = 64))
            @QueryParam("q") String q,
            @Parameter(description = "Only nodes whose agent has this version (exact); (unknown): those without one",
                    schema = @Schema(type = SchemaType.STRING, maxLength = MAX_FILTER))
            @QueryParam("agentVersion") String agentVersion,
            @Parameter(description = "Only nodes whose \"os osVersion\" is this, as the counts name it (exact); "
                    + "(unknown): those without facts", schema = @Schema(type = SchemaType.STRING, maxLength = MAX_FILTER))
            @QueryParam("os") String os,
            @Parameter(description = "Only nodes with this JVM (exact); (unknown): those without facts",
                    schema = @Schema(type = SchemaType.STRING, maxLength = MAX_FILTER))
            @QueryParam("jvm") String jvm,
            @Parameter(description = "Only nodes with this LifeKeeper version (exact); (none): without LifeKeeper; "
                    + "(unknown): LifeKeeper whose version is not known, or no facts",
                    schema = @Schema(type = SchemaType.STRING, maxLength = MAX_FILTER))
            @QueryParam("lifekeeper") String lifekeeper,
            @Parameter(description = "Only nodes carrying this label, as key=value (e.g. site=osaka; exact); repeat "
                    + "for more, the node must carry each", schema = @Schema(type = SchemaType.ARRAY, maxItems = 32,
                    implementation = String.class))
            @QueryParam("label") List<String> labelParams,
            @Parameter(description = "true: only nodes whose last preflight has failing rows; false: only those "
                    + "without", schema = @Schema(type = SchemaType.BOOLEAN))
            @QueryParam("readiness") String readinessParam,
            @Parameter(description = "The order; ties by cluster, then node", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"cluster", "node", "agentVersion", "os", "jvm", "lifekeeper", "receivedAt"},
                    defaultValue = "cluster"))
            @QueryParam("sort") String sortParam,
            @Parameter(description = "asc or desc (unknown values last either way)", schema = @Schema(
                    type = SchemaType.STRING, enumeration = {"asc", "desc"}, defaultValue = "asc"))
            @QueryParam("order") String orderParam,
            @Parameter(description = "How many matching nodes to skip", schema = @Schema(type = SchemaType.INTEGER,
                    format = "int32", minimum = "0", maximum = "1000000", defaultValue = "0"))
            @QueryParam("offset") String offsetParam,
            @Parameter(description = "Nodes per page (the CSV has all)", schema = @Schema(type = SchemaType.INTEGER,
                    format = "int32", minimum = "1", maximum = "1000", defaultValue = "100"))
            @QueryParam("limit") String limitParam,
            @Parameter(description = "csv: the same as Accept: text/csv", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"json", "csv"}))
            @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        int offset = Params.whole("offset", offsetParam, 0, 0, 1_000_000);
        int limit = Params.whole("limit", limitParam, 100, 1, 1000);
        if (q != null && q.length() > 64) {
            throw ProblemException.badRequest("q is too long: at most 64 characters");
        }
        InventoryQuery query = new InventoryQuery(exact("cluster", cluster), Optional.ofNullable(q)
                .map(String::strip).filter(s -> !s.isEmpty()), exact("agentVersion", agentVersion), exact("os", os),
                exact("jvm", jvm), exact("lifekeeper", lifekeeper), FleetResource.labels(labelParams),
                readiness(readinessParam), sort(sortParam), descending(orderParam), offset, limit);
        if (!csv(format, accept)) {
            return Response.ok(fleet.store().inventory(query, fleet.now()), MediaType.APPLICATION_JSON_TYPE).build();
        }
        Instant now = fleet.now();
        StreamingOutput body = out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            row(w, CSV_HEADER);
            try {
                fleet.store().exportInventory(query, now, node -> {
                    try {
                        row(w, cells(node));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e); // the client went away: the export stops reading
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            w.flush();
        };
        return Response.ok(body, CSV + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"fleet-inventory.csv\"").build();
    }

    @GET
    @Path("/counts")
    @Operation(summary = "How many known nodes run what: per agent version, OS, JVM and LifeKeeper version, most first",
            description = "Each value is what the inventory's filter of the same name takes: a count lists its nodes.")
    @APIResponse(responseCode = "200", description = "The counts")
    public InventoryCounts counts() {
        return fleet.store().inventoryCounts();
    }

    static final List<String> CSV_HEADER = List.of("cluster", "node", "receivedAt", "fresh", "agentVersion", "os",
            "osVersion", "jvm", "host", "platform", "lifekeeper", "lifekeeperVersion", "labels", "factsAt",
            "validatedAt", "readinessFailures", "drifting");

    /** One node as its CSV row, in the header's order; labels as key=value joined by "; ". */
    static List<String> cells(InventoryNode n) {
        return List.of(n.cluster(), n.node(), str(n.receivedAt()), String.valueOf(n.fresh()), str(n.agentVersion()),
                str(n.os()), str(n.osVersion()), str(n.jvm()), str(n.host()), str(n.platform()), str(n.lifekeeper()),
                str(n.lifekeeperVersion()), n.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")), str(n.factsAt()), str(n.validatedAt()),
                String.valueOf(n.readinessFailures()), String.valueOf(n.drifting()));
    }

    /** RFC 4180 (CRLF), each cell as the actions' audit writes it: quoted when it must be, never a formula. */
    static void row(Writer w, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(FleetActionResource.cell(cells.get(i)));
        }
        w.write("\r\n");
    }

    private static boolean csv(String format, String accept) {
        if (format != null && !format.isBlank()) {
            String f = format.strip().toLowerCase(Locale.ROOT);
            if (!f.equals("json") && !f.equals("csv")) {
                throw ProblemException.badRequest("format must be json or csv, not '" + cut(format) + "'");
            }
            return f.equals("csv");
        }
        String a = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
        return a.contains(CSV) && !a.contains(MediaType.APPLICATION_JSON);
    }

    private static Optional<String> exact(String param, String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > MAX_FILTER) {
            throw ProblemException.badRequest(param + " is too long: at most " + MAX_FILTER + " characters");
        }
        return Optional.of(value);
    }

    private static Optional<Boolean> readiness(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw ProblemException.badRequest("readiness must be true or false, not '" + cut(value) + "'");
        };
    }

    private static InventoryQuery.Sort sort(String value) {
        if (value == null || value.isBlank()) {
            return InventoryQuery.Sort.CLUSTER;
        }
        String v = value.strip();
        return SORTS.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(v)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> ProblemException.badRequest("sort must be one of " + SORT_NAMES
                        + ", not '" + cut(value) + "'"));
    }

    private static boolean descending(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "asc" -> false;
            case "desc" -> true;
            default -> throw ProblemException.badRequest("order must be asc or desc, not '" + cut(value) + "'");
        };
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String cut(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
