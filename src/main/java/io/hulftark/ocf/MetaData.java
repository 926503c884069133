package io.hulftark.ocf;

import java.util.List;

/**
 * The agent's meta-data: OCF 1.0 XML (ra-api-1.dtd) written from {@link OcfParameters#ALL}, so what
 * Pacemaker and pcs are told is exactly what the agent checks. Suggested timeouts follow the kit's
 * bounds: a start or stop may take the kit's default 300 s (LKHULFT_TIMEOUT); a monitor probes
 * every port in parallel (15 s) up to three times.
 */
public final class MetaData {

    /** Name, suggested timeout, interval (monitor only). */
    record ActionEntry(String name, String timeout, String interval) { }

    static final List<ActionEntry> ACTIONS = List.of(
            new ActionEntry("start", "300s", null),
            new ActionEntry("stop", "300s", null),
            new ActionEntry("monitor", "60s", "30s"),
            new ActionEntry("reload", "20s", null),
            new ActionEntry("validate-all", "20s", null),
            new ActionEntry("meta-data", "5s", null),
            new ActionEntry("methods", "5s", null));

    private MetaData() {
    }

    public static String xml() {
        StringBuilder x = new StringBuilder()
                .append("<?xml version=\"1.0\"?>\n")
                .append("<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n")
                .append("<resource-agent name=\"hulft-ark\" version=\"1.0\">\n")
                .append("<version>1.0</version>\n")
                .append("<longdesc lang=\"en\">\n")
                .append(escape("Keeps HULFT highly available under Pacemaker with the hulft-ark recovery kit: start is "
                        + "the kit's restore, stop its remove, monitor its quickCheck (the service runs and every "
                        + "port of hulenv.cnf answers), with the kit's bounds, retries, messages (stderr and "
                        + "syslog, tag hulft-ark) and the per-resource lock it shares with the node agent. "
                        + "Settings other than these parameters (platform, state-dir) come from the "
                        + "application's config/application.properties."))
                .append("\n</longdesc>\n")
                .append("<shortdesc lang=\"en\">HULFT file transfer service (hulft-ark recovery kit)</shortdesc>\n")
                .append("<parameters>\n");
        for (OcfParameter p : OcfParameters.ALL) {
            x.append("<parameter name=\"").append(escape(p.name())).append("\" required=\"")
                    .append(p.required() ? 1 : 0).append("\" unique=\"").append(p.unique() ? 1 : 0).append("\">\n")
                    .append("<longdesc lang=\"en\">").append(escape(p.longdesc())).append("</longdesc>\n")
                    .append("<shortdesc lang=\"en\">").append(escape(p.shortdesc())).append("</shortdesc>\n")
                    .append("<content type=\"").append(p.type().word()).append('"');
            p.defaultValue().ifPresent(d -> x.append(" default=\"").append(escape(d)).append('"'));
            x.append(" />\n</parameter>\n");
        }
        x.append("</parameters>\n<actions>\n");
        for (ActionEntry a : ACTIONS) {
            x.append("<action name=\"").append(a.name()).append("\" timeout=\"").append(a.timeout()).append('"');
            if (a.interval() != null) {
                x.append(" interval=\"").append(a.interval()).append('"');
            }
            x.append(" />\n");
        }
        return x.append("</actions>\n</resource-agent>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
