package io.hulftark.fleet.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What deploy/prometheus and deploy/grafana ask of Prometheus: their PromQL expressions and the metrics in them. */
final class MonitoringFiles {

    static final Path RULES = Path.of("deploy/prometheus/hulft-ark-fleet.rules.yml");
    static final Path RULE_TESTS = Path.of("deploy/prometheus/hulft-ark-fleet.rules.test.yml");
    static final Path CONFIG = Path.of("deploy/prometheus/prometheus.yml");
    static final Path DASHBOARD = Path.of("deploy/grafana/hulft-ark-fleet.json");
    /** Series Prometheus makes itself for every target, not the fleet view. */
    static final Set<String> SYNTHETIC = Set.of("up");
    private static final Set<String> PROMQL = Set.of("max", "min", "sum", "count", "avg", "by", "without", "on",
            "ignoring", "rate", "time", "absent", "and", "or", "unless", "bool", "group_left", "group_right",
            "instance", "pod", "job", "reason", "fault", "outcome", "state", "cluster", "quantile", "le", "vector");

    private MonitoringFiles() {
    }

    /** Every alert's expression, by alert name. */
    static List<String[]> alertExpressions() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        List<String[]> out = new ArrayList<>();
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                out.add(new String[] {rule.get("alert").asText(), rule.get("expr").asText()});
            }
        }
        return out;
    }

    /** Every panel target's expression, Grafana's variables replaced by what Prometheus would get. */
    static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.get("expr").asText().replace("$__rate_interval", "1m").replace("$cluster", ".*"));
            }
        }
        return out;
    }

    /** The metric names in PromQL expressions: identifiers that select series, not functions, operators or labels. */
    static Set<String> metricNames(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        Pattern selector = Pattern.compile("(?<![A-Za-z0-9_:\"])([a-zA-Z_:][a-zA-Z0-9_:]*)(?=\\s*(\\{|\\[|\\)|$|\\s|[><=!*/+-]))");
        for (String e : expressions) {
            // Label sets and strings first, so that label names and values are not taken for metric names.
            String bare = e.replaceAll("\\{[^}]*\\}", "{}").replaceAll("\"[^\"]*\"", "\"\"")
                    .replaceAll("(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "$1()")
                    .replaceAll("\\[[^]]*\\]", "[]");
            Matcher m = selector.matcher(bare);
            while (m.find()) {
                String n = m.group(1);
                if (!PROMQL.contains(n) && !n.matches("\\d.*")) {
                    names.add(n);
                }
            }
        }
        return names;
    }
}
