package io.hulftark.ocf;

import java.util.List;

/**
 * What one action ended with: the OCF code and every message it gave, as the lines
 * {@code CODE CATEGORY text} that also went to stderr and syslog.
 */
public record OcfResult(OcfCode code, List<String> lines) {

    public OcfResult {
        lines = List.copyOf(lines);
    }
}
