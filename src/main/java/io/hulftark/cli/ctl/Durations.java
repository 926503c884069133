package io.hulftark.cli.ctl;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration as people type it: 90s, 10m, 2h, 1h30m, 0 (or ISO-8601, PT10M). */
public final class Durations implements ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        if (v.startsWith("pt") || v.startsWith("p")) {
            try {
                Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException bad) {
                // fall through to the one message
            }
            throw bad(value);
        }
        Matcher m = PART.matcher(v);
        Duration d = Duration.ZERO;
        int at = 0;
        while (at < v.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            at = m.end();
        }
        if (at == 0 || at != v.length()) {
            throw bad(value);
        }
        return d;
    }

    /** As people read it: 45s, 10m, 1h30m, 250ms. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        StringBuilder b = new StringBuilder();
        long s = d.toSeconds();
        if (s >= 86_400 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s >= 3600) {
            b.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            b.append(s % 3600 / 60).append('m');
        }
        if (s % 60 != 0 || b.isEmpty()) {
            b.append(s % 60).append('s');
        }
        return b.toString();
    }

    private static TypeConversionException bad(String value) {
        return new TypeConversionException("'" + Render.cut(value, 40) + "' is not a duration: use e.g. 30s, 10m, 2h or 1h30m");
    }
}
