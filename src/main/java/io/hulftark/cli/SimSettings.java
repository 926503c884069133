package io.hulftark.cli;

import io.hulftark.sim.SimInstallation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The kit's settings that point it at a simulated HULFT (used by demo, sim create and the tests). */
public final class SimSettings {

    private SimSettings() {
    }

    public static Map<String, String> of(SimInstallation sim, Path stateDir) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hulftark.platform", "command");
        m.put("hulftark.command.status", list(sim.statusCommand().toString(), "{service}"));
        m.put("hulftark.command.start-type", list(sim.startTypeCommand().toString(), "{service}"));
        m.put("hulftark.command.set-demand", list(sim.setDemandCommand().toString(), "{service}"));
        m.put("hulftark.exe-path", sim.binDir().toString());
        m.put("hulftark.conf-file", sim.confFile().toString());
        m.put("hulftark.lifekeeper.root", sim.lkroot().toString());
        m.put("hulftark.state-dir", stateDir.toString());
        return m;
    }

    /** A Quarkus list value: elements joined by commas, commas inside an element escaped. */
    static String list(String... elements) {
        StringBuilder b = new StringBuilder();
        for (String e : elements) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(e.replace("\\", "\\\\").replace(",", "\\,"));
        }
        return b.toString();
    }
}
