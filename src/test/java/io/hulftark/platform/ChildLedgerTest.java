package io.hulftark.platform;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisabledOnOs(value = OS.WINDOWS, disabledReason = "uses POSIX programs; the Windows workflow covers Windows")
class ChildLedgerTest {

    @TempDir
    Path locks;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> ProcessCommandRunner.killTree(p.toHandle()));
    }

    private Process sleeper(String... argv) throws IOException {
        Process p = new ProcessBuilder(argv.length == 0 ? new String[] {"sleep", "60"} : argv).start();
        started.add(p);
        return p;
    }

    /** A process that ran and ended: its pid and start are a dead owner's. */
    private Owner deadOwner() throws Exception {
        Process p = new ProcessBuilder("sleep", "0.3").start();
        long start = ChildLedger.startMillis(p.toHandle()); // read while it runs
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new Owner(p.pid(), start);
    }

    private record Owner(long pid, long start) { }

    /** Writes a ledger as {@code owner} would have left it, listing {@code lines}. */
    private Path ledger(long ownerPid, long ownerStart, String... lines) throws IOException {
        Path dir = Files.createDirectories(locks.resolve("children"));
        return Files.writeString(dir.resolve(ownerPid + "-" + ownerStart), String.join("\n", lines) + "\n");
    }

    private static String line(ProcessHandle child, long startShift) {
        return child.pid() + " " + (ChildLedger.startMillis(child) + startShift) + " utlsvcctl -c start";
    }

    @Test
    void aDeadOwnersLiveChildIsEndedWithItsTreeAndTheLedgerRemoved() throws Exception {
        Owner owner = deadOwner();
        Process child = sleeper("sh", "-c", "sleep 60 & sleep 60");
        Thread.sleep(200);
        List<ProcessHandle> grandchildren = child.descendants().toList();
        assertThat(grandchildren).isNotEmpty();
        Path file = ledger(owner.pid(), owner.start(), line(child.toHandle(), 0));

        List<String> ended = ChildLedger.reap(locks);

        assertThat(child.waitFor(5, TimeUnit.SECONDS)).as("the child was killed").isTrue();
        assertThat(grandchildren).allSatisfy(g -> assertThat(g.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse());
        assertThat(ended).singleElement().asString().contains("utlsvcctl -c start").contains("pid " + child.pid());
        assertThat(file).doesNotExist();
    }

    @Test
    void casesWhereNothingIsKilled() throws Exception {
        record Case(String name, long ownerPid, long ownerStart, long childShift, boolean ledgerKept) { }
        ProcessHandle self = ProcessHandle.current();
        Owner dead = deadOwner();
        List<Case> cases = List.of(
                new Case("the owner still runs", self.pid(), ChildLedger.startMillis(self), 0, true),
                new Case("the owner's start is unknown but its pid runs", self.pid(), -1, 0, true),
                new Case("the child's pid now belongs to another process", dead.pid(), dead.start(),
                        60_000, false),
                new Case("the child's start was not known", dead.pid(), dead.start(), Long.MIN_VALUE, false));
        for (Case c : cases) {
            Process child = sleeper();
            String entry = c.childShift() == Long.MIN_VALUE ? child.pid() + " -1 sleep 60" : line(child.toHandle(), c.childShift());
            Path file = ledger(c.ownerPid(), c.ownerStart(), entry);
            List<String> ended = ChildLedger.reap(locks);
            assertThat(ended).as(c.name()).isEmpty();
            assertThat(child.isAlive()).as(c.name()).isTrue();
            assertThat(Files.exists(file)).as(c.name()).isEqualTo(c.ledgerKept());
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aReusedOwnerPidCountsAsDead() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        Process child = sleeper();
        // Our pid, but a start an hour earlier: another process that had our pid once.
        ledger(self.pid(), ChildLedger.startMillis(self) - 3_600_000, line(child.toHandle(), 0));
        assertThat(ChildLedger.reap(locks)).hasSize(1);
        assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLedgerNotesWhatRunsInFixedSlotsAndForgetsWhatEnded() throws Exception {
        ChildLedger l = ChildLedger.create(locks, ProcessHandle.current());
        assertThat(l).isNotNull();
        long size = Files.size(l.file());
        assertThat(size).isEqualTo((long) ChildLedger.SLOTS * ChildLedger.SLOT_BYTES);
        Process a = sleeper();
        Process b = sleeper();
        l.add(a.toHandle(), List.of("/opt/HULFT Family/bin/utlsvcctl", "-c", "start"));
        l.add(b.toHandle(), List.of("sleep", "60"));
        l.remove(a.pid());
        List<ChildLedger.Entry> entries = Files.readAllLines(l.file()).stream().map(ChildLedger.Entry::parse)
                .filter(e -> e != null).toList();
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.pid()).isEqualTo(b.pid());
            assertThat(e.command()).isEqualTo("sleep 60");
        });
        assertThat(Files.size(l.file())).as("written in place, never grown").isEqualTo(size);
        l.closeAtExit();
        assertThat(l.file()).as("kept: a command still runs").exists();
    }

    @Test
    void describeKeepsTheProgramsFileNameAndItsArgumentsOnOneLine() {
        assertThat(ChildLedger.describe(List.of("/a/b/utlsvcctl", "-c", "start"))).isEqualTo("utlsvcctl -c start");
        assertThat(ChildLedger.describe(List.of("C:\\HULFT\\bin\\utlsvcctl.exe", "-c", "stop")))
                .isEqualTo("utlsvcctl.exe -c stop");
        assertThat(ChildLedger.describe(List.of("x", "a\nb"))).isEqualTo("x a?b");
        assertThat(ChildLedger.parseOwner("123-1700000000000")).containsExactly(123, 1700000000000L);
        assertThat(ChildLedger.parseOwner("123--1")).containsExactly(123, -1);
        assertThat(ChildLedger.parseOwner("garbage")).isNull();
    }

}
