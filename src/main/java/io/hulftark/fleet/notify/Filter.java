package io.hulftark.fleet.notify;

import io.hulftark.fleet.state.ClusterState;
import io.hulftark.wire.ReportValidator;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Which changes a receiver wants: states, cluster names (globs) and agents' labels. */
public record Filter(Set<ClusterState> states, List<String> clusters, Map<String, String> labels) {

    public static Filter of(NotifyConfig.Receiver r) {
        return new Filter(Set.copyOf(r.states()), List.copyOf(r.clusters()), Map.copyOf(r.labels()));
    }

    public boolean wants(ClusterState state) {
        return states.contains(state);
    }

    /**
     * Whether the cluster is one of the receiver's: its name matches a glob and it has every label asked for, on one
     * of its nodes (a cluster's value of a key its nodes disagree on is each node's value, joined by ",").
     */
    public boolean covers(String cluster, Map<String, String> clusterLabels) {
        boolean named = clusters.stream().anyMatch(g -> glob(g).matcher(cluster).matches());
        return named && labels.entrySet().stream()
                .allMatch(e -> ReportValidator.clusterLabelHas(clusterLabels.get(e.getKey()), e.getValue()));
    }

    /** A glob of * (any run) and ? (one character); everything else is literal, so no name reaches a regex. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            if (ch == '*' || ch == '?') {
                if (!literal.isEmpty()) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(ch == '*' ? ".*" : ".");
            } else {
                literal.append(ch);
            }
        }
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
