package io.hulftark.fleet.api;

import io.hulftark.fleet.actions.FleetAction;
import io.hulftark.fleet.actions.FleetActionStep;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit's CSV: RFC 4180 quoting, and no cell a spreadsheet would run as a formula. */
class FleetActionCsvTest {

    @Test
    void cellsAreQuotedAndNeverFormulas() {
        assertThat(FleetActionResource.cell("plain")).isEqualTo("plain");
        assertThat(FleetActionResource.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(FleetActionResource.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(FleetActionResource.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        for (String formula : List.of("=1+1", "+1", "-1", "@SUM(A1)", "\tx")) {
            assertThat(FleetActionResource.cell(formula)).as(formula).startsWith("'" + formula.charAt(0));
        }
        assertThat(FleetActionResource.cell("")).isEmpty();
    }

    @Test
    void oneHeaderRowThenOneRowPerActionWithItsSteps() {
        Instant at = Instant.parse("2026-06-01T12:00:00Z");
        FleetAction a = new FleetAction("fa-1", "c1", "switchover", "n2", null, false, "patching, night 1", "alice", at,
                "FAILED", at.plusSeconds(5), 5000L, "restore on n2 failed (exit 1: x); HULFT restored on n1", null,
                List.of(new FleetActionStep("fa-1-1", 1, "n1", "HULFT", "remove", "SUCCEEDED", 0, 10L, List.of(),
                                "direct", false, at, at, at),
                        new FleetActionStep("fa-1-r2", 3, "n1", "HULFT", "restore", "SUCCEEDED", 0, 10L, List.of(),
                                "direct", true, at, at, at)));
        String[] lines = FleetActionResource.csv(List.of(a)).split("\r\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo(String.join(",", FleetActionResource.CSV_HEADER));
        assertThat(lines[1]).isEqualTo("fa-1,c1,switchover,n2,,false,\"patching, night 1\",alice,2026-06-01T12:00:00Z,"
                + "FAILED,2026-06-01T12:00:05Z,5000,restore on n2 failed (exit 1: x); HULFT restored on n1,,"
                + "1 remove HULFT on n1: SUCCEEDED exit 0; 3 restore HULFT on n1 (rollback): SUCCEEDED exit 0");
    }
}
