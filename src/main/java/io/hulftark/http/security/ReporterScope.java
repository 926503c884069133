package io.hulftark.http.security;

import java.util.Objects;
import java.util.Optional;

/**
 * What a reporter credential may report for: one cluster, or one node of one cluster. Written in the tokens file's
 * role field as {@code reporter:CLUSTER} or {@code reporter:CLUSTER/NODE}.
 */
public record ReporterScope(String cluster, Optional<String> node) {

    public ReporterScope {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(node, "node");
    }

    public boolean permits(String cluster, String node) {
        return this.cluster.equals(cluster) && this.node.map(n -> n.equals(node)).orElse(true);
    }

    /** "reporter:CLUSTER" or "reporter:CLUSTER/NODE"; empty when the text is not that or a name is invalid. */
    public static Optional<ReporterScope> parse(String roleField) {
        if (roleField == null || !roleField.startsWith("reporter:")) {
            return Optional.empty();
        }
        String[] parts = roleField.substring("reporter:".length()).split("/", -1);
        if (parts.length > 2 || !TokenStore.validName(parts[0]) || (parts.length == 2 && !TokenStore.validName(parts[1]))) {
            return Optional.empty();
        }
        return Optional.of(new ReporterScope(parts[0], parts.length == 2 ? Optional.of(parts[1]) : Optional.empty()));
    }

    public String roleField() {
        return "reporter:" + cluster + node.map(n -> "/" + n).orElse("");
    }

    /** "cluster C" or "node N of cluster C", for messages. */
    public String describe() {
        return node.map(n -> "node " + n + " of cluster " + cluster).orElse("cluster " + cluster);
    }
}
