package io.hulftark.fleet.state;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A maintenance window an operator set. It never changes the cluster's state: while it covers now the cluster
 * shows its real state with a maintenance marker, and is not notified.
 *
 * <p>One-off ({@code weekly} null): the window is [from, until). Recurring: every {@code weekly} occurrence, clipped
 * to [from, until) (until null: the series never ends). An occurrence starts at the rule's wall-clock time in its
 * zone on each of its days and lasts its duration in real (elapsed) time, so "Sunday 02:00 Europe/Berlin, PT2H"
 * is 01:00–03:00Z in winter and 00:00–02:00Z in summer. A start that falls in a DST gap moves forward by the gap
 * (02:30 on the spring-forward night is 03:30), one in an overlap takes the earlier offset (it happens once).
 */
public record Maintenance(Instant from, Instant until, String reason, Weekly weekly) {

    /** The longest occurrence of a recurring window: longer would overlap the same day of the next week. */
    public static final Duration LONGEST_OCCURRENCE = Duration.ofDays(7);

    /** A one-off window [from, until). */
    public Maintenance(Instant from, Instant until, String reason) {
        this(from, until, reason, null);
    }

    public Maintenance {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(reason, "reason");
        if (weekly == null) {
            Objects.requireNonNull(until, "until");
        }
        if (until != null && !until.isAfter(from)) {
            throw new IllegalArgumentException("a maintenance window must end after it starts: " + from + " .. " + until);
        }
    }

    /** One occurrence of a window, [from, until). */
    public record Occurrence(Instant from, Instant until) {
        public boolean covers(Instant now) {
            return !now.isBefore(from) && now.isBefore(until);
        }
    }

    /**
     * A weekly rule: on each of {@code days}, at {@code start} wall-clock time in {@code zone}, for {@code duration}.
     */
    public record Weekly(Set<DayOfWeek> days, LocalTime start, Duration duration, ZoneId zone) {

        public Weekly {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(zone, "zone");
            if (days == null || days.isEmpty()) {
                throw new IllegalArgumentException("days must name at least one day of the week, such as SUNDAY");
            }
            days = Set.copyOf(EnumSet.copyOf(days));
            if (duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST_OCCURRENCE) > 0) {
                throw new IllegalArgumentException("duration must be more than 0 and at most 7 days, not " + duration);
            }
        }

        /**
         * From the wire's texts, each refusal one line: days as names (SUNDAY or SUN, any case), start as HH:MM,
         * duration as ISO-8601 (PT2H), zone as an IANA name (Europe/Berlin).
         */
        public static Weekly parse(Collection<String> days, String start, String duration, String zone) {
            if (days == null || days.isEmpty()) {
                throw new IllegalArgumentException("days must name at least one day of the week, such as SUNDAY");
            }
            Set<DayOfWeek> parsed = EnumSet.noneOf(DayOfWeek.class);
            for (String d : days) {
                parsed.add(day(d));
            }
            if (start == null) {
                throw new IllegalArgumentException("start is missing (a time of day such as 02:00)");
            }
            LocalTime at;
            try {
                at = LocalTime.parse(start.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("start must be a time of day such as 02:00, not '" + cut(start) + "'");
            }
            if (duration == null) {
                throw new IllegalArgumentException("duration is missing (an ISO-8601 duration such as PT2H)");
            }
            Duration length;
            try {
                length = Duration.parse(duration.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("duration must be an ISO-8601 duration such as PT2H, not '"
                        + cut(duration) + "'");
            }
            if (zone == null) {
                throw new IllegalArgumentException("zone is missing (an IANA time zone such as Europe/Berlin)");
            }
            ZoneId z;
            try {
                // Only region names: a fixed offset such as +01:00 knows no DST, which is what a site's clock follows.
                if (!ZoneId.getAvailableZoneIds().contains(zone.strip())) {
                    throw new DateTimeException(zone);
                }
                z = ZoneId.of(zone.strip());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("zone must be an IANA time zone such as Europe/Berlin, not '"
                        + cut(zone) + "'");
            }
            return new Weekly(parsed, at, length, z);
        }

        private static DayOfWeek day(String d) {
            String s = d == null ? "" : d.strip().toUpperCase(Locale.ROOT);
            for (DayOfWeek day : DayOfWeek.values()) {
                if (s.length() >= 3 && day.name().startsWith(s)) {
                    return day;
                }
            }
            throw new IllegalArgumentException("days must hold day names such as SUNDAY or SUN, not '" + cut(d) + "'");
        }

        /** The days in week order, comma-separated: how the store keeps them. */
        public String daysText() {
            return days.stream().sorted().map(DayOfWeek::name).collect(Collectors.joining(","));
        }

        /** The occurrences that start on the local dates from {@code first} to {@code last}, in order. */
        List<Occurrence> occurrences(LocalDate first, LocalDate last) {
            List<Occurrence> all = new ArrayList<>();
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                if (days.contains(d.getDayOfWeek())) {
                    // ZonedDateTime.of: a gap moves the start forward by its length, an overlap takes the earlier offset.
                    Instant s = ZonedDateTime.of(d, start, zone).toInstant();
                    all.add(new Occurrence(s, s.plus(duration)));
                }
            }
            return all;
        }

        private static String cut(String s) {
            return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
        }
    }

    /** Whether the window covers now: half-open, at an occurrence's until it is over. */
    public boolean covers(Instant now) {
        return currentOrNext(now).filter(o -> o.covers(now)).isPresent();
    }

    /**
     * The occurrence that covers now (the one ending last, if several do), or else the next one to start; empty
     * when the window is over.
     */
    public Optional<Occurrence> currentOrNext(Instant now) {
        if (until != null && !now.isBefore(until)) {
            return Optional.empty();
        }
        if (weekly == null) {
            return Optional.of(new Occurrence(from, until));
        }
        // An occurrence lasts at most 7 days and one starts every week: these dates hold the covering one and the next.
        Instant probe = now.isBefore(from) ? from : now;
        LocalDate today = probe.atZone(weekly.zone()).toLocalDate();
        List<Occurrence> candidates = weekly.occurrences(today.minusDays(8), today.plusDays(8)).stream()
                .map(this::clip).flatMap(Optional::stream)
                .filter(o -> o.until().isAfter(now)).toList();
        Optional<Occurrence> covering = candidates.stream().filter(o -> o.covers(now))
                .max(Comparator.comparing(Occurrence::until));
        return covering.isPresent() ? covering : candidates.stream().min(Comparator.comparing(Occurrence::from));
    }

    private Optional<Occurrence> clip(Occurrence o) {
        Instant s = o.from().isBefore(from) ? from : o.from();
        Instant e = until != null && o.until().isAfter(until) ? until : o.until();
        return e.isAfter(s) ? Optional.of(new Occurrence(s, e)) : Optional.empty();
    }
}
