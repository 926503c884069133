package io.hulftark.cli.ctl;

import io.hulftark.wire.ReportValidator;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** --label KEY=VALUE as the fleet view reads labels: keys [a-z][a-z0-9_]{0,62}, a value of at most 128 characters. */
final class Labels {

    private Labels() {
    }

    static List<Map.Entry<String, String>> parse(CommandLine cl, List<String> given) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String l : given) {
            int eq = l.indexOf('=');
            String key = eq < 0 ? l : l.substring(0, eq);
            String value = eq < 0 ? "" : l.substring(eq + 1);
            if (ReportValidator.labelProblem("label", key, value) != null) {
                throw new ParameterException(cl, "--label takes KEY=VALUE (e.g. site=osaka; KEY of a-z 0-9 _), not '"
                        + Render.cut(l, 60) + "'");
            }
            out.add(Map.entry(key, value));
        }
        return out;
    }

    /** Whether a cluster's labels (a key whose values differ between nodes holds them joined by ",") have them all. */
    static boolean matches(JsonNode labels, List<Map.Entry<String, String>> wanted) {
        for (Map.Entry<String, String> w : wanted) {
            JsonNode v = labels.path(w.getKey());
            if (!v.isTextual() || !ReportValidator.clusterLabelHas(v.asText(), w.getValue())) {
                return false;
            }
        }
        return true;
    }
}
