package io.hulftark.fleet.state;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Maintenance windows as tables of named cases: when a one-off or weekly window covers an instant, which occurrence
 * is current or next (what the store keeps and when reevaluateDue wakes the cluster), across DST changes in
 * Europe/Berlin (2026-03-29 and 2026-10-25) and America/New_York (2026-03-08), week boundaries and midnight; and
 * the one-line refusals of a weekly rule's texts.
 */
class MaintenanceTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant SERIES = Instant.parse("2026-01-01T00:00:00Z");

    record Case(String name, Maintenance window, String now, boolean covers, String from, String until) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Maintenance weekly(Set<DayOfWeek> days, String start, Duration duration, ZoneId zone) {
        return new Maintenance(SERIES, null, "patch Sunday",
                new Maintenance.Weekly(days, LocalTime.parse(start), duration, zone));
    }

    static Stream<Case> cases() {
        Maintenance sunday2to4 = weekly(Set.of(DayOfWeek.SUNDAY), "02:00", Duration.ofHours(2), BERLIN);
        Maintenance sunday0230 = weekly(Set.of(DayOfWeek.SUNDAY), "02:30", Duration.ofHours(1), BERLIN);
        Maintenance nySunday0230 = weekly(Set.of(DayOfWeek.SUNDAY), "02:30", Duration.ofHours(1), NEW_YORK);
        Maintenance sundayNight = weekly(Set.of(DayOfWeek.SUNDAY), "23:00", Duration.ofHours(3), BERLIN);
        Maintenance saturdayNight = weekly(Set.of(DayOfWeek.SATURDAY), "22:00", Duration.ofHours(4), UTC);
        Maintenance weekdays = weekly(Set.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "06:00", Duration.ofMinutes(30), UTC);
        Maintenance wholeWeek = weekly(Set.of(DayOfWeek.MONDAY), "00:00", Duration.ofDays(7), UTC);
        Maintenance ended = new Maintenance(SERIES, Instant.parse("2026-01-04T01:30:00Z"), "two Sundays",
                sunday2to4.weekly());
        Maintenance lateStart = new Maintenance(Instant.parse("2026-01-04T01:30:00Z"), null, "set mid-window",
                sunday2to4.weekly());
        Maintenance oneOff = new Maintenance(Instant.parse("2026-05-01T10:00:00Z"),
                Instant.parse("2026-05-01T12:00:00Z"), "move");
        return Stream.of(
                // Sunday 02:00–04:00 Berlin: 01:00–03:00Z in winter (CET), 00:00–02:00Z in summer (CEST).
                new Case("winter: 02:00 CET is 01:00Z", sunday2to4, "2026-01-04T01:30:00Z", true,
                        "2026-01-04T01:00:00Z", "2026-01-04T03:00:00Z"),
                new Case("summer: 02:00 CEST is 00:00Z", sunday2to4, "2026-07-05T00:30:00Z", true,
                        "2026-07-05T00:00:00Z", "2026-07-05T02:00:00Z"),
                new Case("summer, just after: the next Sunday", sunday2to4, "2026-07-05T02:00:00Z", false,
                        "2026-07-12T00:00:00Z", "2026-07-12T02:00:00Z"),
                new Case("a Wednesday: the coming Sunday", sunday2to4, "2026-07-08T12:00:00Z", false,
                        "2026-07-12T00:00:00Z", "2026-07-12T02:00:00Z"),
                // 2026-03-29, Berlin: 02:00 CET jumps to 03:00 CEST; 02:00 does not exist and moves forward by the gap.
                new Case("spring forward: 02:00 falls in the gap, starts 03:00 CEST", sunday2to4,
                        "2026-03-29T00:30:00Z", false, "2026-03-29T01:00:00Z", "2026-03-29T03:00:00Z"),
                new Case("spring forward: 02:30 in the gap starts 03:30 CEST", sunday0230, "2026-03-29T01:40:00Z",
                        true, "2026-03-29T01:30:00Z", "2026-03-29T02:30:00Z"),
                new Case("the Sunday before spring forward still in CET", sunday0230, "2026-03-22T01:40:00Z", true,
                        "2026-03-22T01:30:00Z", "2026-03-22T02:30:00Z"),
                // 2026-10-25, Berlin: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice, the window once.
                new Case("fall back: 02:30 takes the earlier offset (CEST)", sunday0230, "2026-10-25T00:45:00Z", true,
                        "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"),
                new Case("fall back: the second 02:30 (CET) is not a second window", sunday0230,
                        "2026-10-25T01:45:00Z", false, "2026-11-01T01:30:00Z", "2026-11-01T02:30:00Z"),
                // 2026-03-08, New York: 02:00 EST jumps to 03:00 EDT.
                new Case("New York spring forward: 02:30 starts 03:30 EDT", nySunday0230, "2026-03-08T07:45:00Z",
                        true, "2026-03-08T07:30:00Z", "2026-03-08T08:30:00Z"),
                new Case("New York, a week before: 02:30 EST", nySunday0230, "2026-03-01T07:45:00Z", true,
                        "2026-03-01T07:30:00Z", "2026-03-01T08:30:00Z"),
                // Across midnight and across the week's end (Sunday → Monday).
                new Case("Sunday 23:00 + 3h covers Monday 01:00 (next week)", sundayNight, "2026-01-04T23:30:00Z",
                        true, "2026-01-04T22:00:00Z", "2026-01-05T01:00:00Z"),
                new Case("Saturday 22:00 + 4h covers Sunday 01:00", saturdayNight, "2026-01-04T01:00:00Z", true,
                        "2026-01-03T22:00:00Z", "2026-01-04T02:00:00Z"),
                new Case("Saturday 22:00 + 4h is over at Sunday 02:00", saturdayNight, "2026-01-04T02:00:00Z", false,
                        "2026-01-10T22:00:00Z", "2026-01-11T02:00:00Z"),
                new Case("two days: from a Saturday the next is Monday", weekdays, "2026-01-03T12:00:00Z", false,
                        "2026-01-05T06:00:00Z", "2026-01-05T06:30:00Z"),
                new Case("two days: after Monday's comes Friday's", weekdays, "2026-01-05T06:30:00Z", false,
                        "2026-01-09T06:00:00Z", "2026-01-09T06:30:00Z"),
                new Case("7 days from each Monday: always covered, the current one ends next Monday", wholeWeek,
                        "2026-01-11T23:59:59Z", true, "2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z"),
                // The series' own bounds clip its occurrences.
                new Case("a series set mid-occurrence covers from its start", lateStart, "2026-01-04T01:45:00Z", true,
                        "2026-01-04T01:30:00Z", "2026-01-04T03:00:00Z"),
                new Case("a series ending mid-occurrence is over then", ended, "2026-01-04T01:30:00Z", false,
                        null, null),
                new Case("before the series starts: its first occurrence", lateStart, "2025-12-20T00:00:00Z", false,
                        "2026-01-04T01:30:00Z", "2026-01-04T03:00:00Z"),
                new Case("one-off, before", oneOff, "2026-05-01T09:00:00Z", false, "2026-05-01T10:00:00Z",
                        "2026-05-01T12:00:00Z"),
                new Case("one-off, at its from", oneOff, "2026-05-01T10:00:00Z", true, "2026-05-01T10:00:00Z",
                        "2026-05-01T12:00:00Z"),
                new Case("one-off, at its until: over", oneOff, "2026-05-01T12:00:00Z", false, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void coversAndCurrentOrNext(Case c) {
        Instant now = Instant.parse(c.now());
        assertThat(c.window().covers(now)).as("covers").isEqualTo(c.covers());
        Optional<Maintenance.Occurrence> expected = c.from() == null ? Optional.empty()
                : Optional.of(new Maintenance.Occurrence(Instant.parse(c.from()), Instant.parse(c.until())));
        assertThat(c.window().currentOrNext(now)).as("current or next").isEqualTo(expected);
    }

    record Refusal(String name, List<String> days, String start, String duration, String zone, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        List<String> sun = List.of("SUNDAY");
        return Stream.of(
                new Refusal("no days", List.of(), "02:00", "PT2H", "Europe/Berlin",
                        "days must name at least one day of the week, such as SUNDAY"),
                new Refusal("a day misspelt", List.of("SUNDAE"), "02:00", "PT2H", "Europe/Berlin",
                        "days must hold day names such as SUNDAY or SUN, not 'SUNDAE'"),
                new Refusal("a day too short to tell", List.of("T"), "02:00", "PT2H", "Europe/Berlin",
                        "days must hold day names such as SUNDAY or SUN, not 'T'"),
                new Refusal("start not a time", sun, "2am", "PT2H", "Europe/Berlin",
                        "start must be a time of day such as 02:00, not '2am'"),
                new Refusal("start 24:00", sun, "24:00", "PT2H", "Europe/Berlin",
                        "start must be a time of day such as 02:00, not '24:00'"),
                new Refusal("duration zero", sun, "02:00", "PT0S", "Europe/Berlin",
                        "duration must be more than 0 and at most 7 days, not PT0S"),
                new Refusal("duration negative", sun, "02:00", "-PT1H", "Europe/Berlin",
                        "duration must be more than 0 and at most 7 days, not PT-1H"),
                new Refusal("duration over 7 days", sun, "02:00", "P8D", "Europe/Berlin",
                        "duration must be more than 0 and at most 7 days, not PT192H"),
                new Refusal("duration not ISO-8601", sun, "02:00", "2h", "Europe/Berlin",
                        "duration must be an ISO-8601 duration such as PT2H, not '2h'"),
                new Refusal("zone unknown", sun, "02:00", "PT2H", "Europe/Berln",
                        "zone must be an IANA time zone such as Europe/Berlin, not 'Europe/Berln'"),
                new Refusal("zone a fixed offset (no DST)", sun, "02:00", "PT2H", "+01:00",
                        "zone must be an IANA time zone such as Europe/Berlin, not '+01:00'"),
                new Refusal("zone missing", sun, "02:00", "PT2H", null,
                        "zone is missing (an IANA time zone such as Europe/Berlin)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aWeeklyRuleIsRefusedInOneLine(Refusal r) {
        assertThatThrownBy(() -> Maintenance.Weekly.parse(r.days(), r.start(), r.duration(), r.zone()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(r.message());
    }

    @org.junit.jupiter.api.Test
    void daysAreTakenByNameOrAbbreviationInAnyCase() {
        Maintenance.Weekly w = Maintenance.Weekly.parse(List.of("sun", "Monday", "WED"), " 02:00 ", "PT90M",
                "America/New_York");
        assertThat(w.days()).containsExactlyInAnyOrder(DayOfWeek.SUNDAY, DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY);
        assertThat(w.daysText()).isEqualTo("MONDAY,WEDNESDAY,SUNDAY");
        assertThat(w.duration()).isEqualTo(Duration.ofMinutes(90));
    }
}
