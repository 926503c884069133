package io.hulftark.app;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

import java.util.Locale;
import java.util.Map;

/**
 * Keeps every meter of both services within what {@code promtool check metrics} accepts, for the meters of
 * libraries too: each has help text (a library's meter without one gets its name in words), names that
 * promtool's lint refuses are replaced by the Prometheus convention's own, and long task timers (Quarkus's
 * {@code http.server.connections}), which the exporter writes in a shape no parser reads, are left out. Plain, so a test applies it to a
 * registry without Quarkus.
 */
public final class ScrapeableMeters implements MeterFilter {

    /** Micrometer's process CPU time is in nanoseconds ("abbreviated units"); {@link ProcessCpu} gives seconds. */
    static final String CPU_NANOS = "process.cpu.time";
    /** A gauge whose name ends in "count" reads as a summary's count; the convention's name for it. */
    private static final Map<String, String> RENAMED = Map.of("system.cpu.count", "system.cpus");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        // The Prometheus simpleclient writes a long task timer as a summary of "_active_count" and "_duration_sum"
        // samples, which no parser takes as a summary's (promtool: "no help text" for each); none of ours is one.
        if (id.getName().equals(CPU_NANOS) || id.getType() == Meter.Type.LONG_TASK_TIMER) {
            return MeterFilterReply.DENY;
        }
        return MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        Meter.Id mapped = id;
        String renamed = RENAMED.get(id.getName());
        if (renamed != null) {
            mapped = mapped.withName(renamed);
        }
        if (mapped.getDescription() == null || mapped.getDescription().isBlank()) {
            mapped = new Meter.Id(mapped.getName(), Tags.of(mapped.getTagsAsIterable()), mapped.getBaseUnit(),
                    words(mapped.getName()), mapped.getType());
        }
        return mapped;
    }

    static String words(String name) {
        String w = name.replace('.', ' ').replace('_', ' ').strip();
        return w.isEmpty() ? "unnamed" : w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1);
    }
}
