package io.hulftark.agent;

import io.hulftark.wire.ReportValidator;
import io.hulftark.wire.WireText;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * This node's labels ({@code hulftark.agent.labels}, e.g. {@code site=osaka,env=prod}): what the fleet view shows,
 * filters and selects batches by. Checked once at start, so a bad value stops the agent with one line naming the
 * key rather than reports the fleet view would have to guess at.
 */
public final class Labels {

    public static final String KEY = "hulftark.agent.labels";

    private Labels() {
    }

    /**
     * The labels of {@code value} ({@code KEY=VALUE} pairs separated by commas; blanks around a pair are ignored),
     * in key order; none for an absent or blank value.
     *
     * @throws IllegalArgumentException one line naming {@value #KEY} and what is wrong
     */
    public static Map<String, String> parse(String value) {
        Map<String, String> labels = new TreeMap<>();
        if (value == null || value.isBlank()) {
            return Map.of();
        }
        for (String pair : value.split(",", -1)) {
            String p = pair.strip();
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw bad("'" + WireText.neutralise(p, 40) + "' is not KEY=VALUE (e.g. site=osaka,env=prod)");
            }
            String key = p.substring(0, eq).strip();
            String v = p.substring(eq + 1).strip();
            if (!ReportValidator.LABEL_KEY.matcher(key).matches()) {
                throw bad("the key '" + WireText.neutralise(key, 70) + "' is not a label key (a-z first, then a-z 0-9 _, "
                        + "at most 63)");
            }
            String problem = WireText.nameProblem("the value of " + key, v, ReportValidator.MAX_LABEL_VALUE, true);
            if (problem != null) {
                throw bad(problem);
            }
            if (labels.put(key, v) != null) {
                throw bad("the key " + key + " appears twice");
            }
        }
        if (labels.size() > ReportValidator.MAX_LABELS) {
            throw bad(labels.size() + " labels: at most " + ReportValidator.MAX_LABELS);
        }
        return Collections.unmodifiableMap(labels);
    }

    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException(KEY + ": " + why);
    }
}
