package io.hulftark.platform.windows;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WindowsJobTest {

    /** Records the calls; fails the ones it is told to. */
    static final class FakeJobs implements JobApi {
        final List<String> calls = new ArrayList<>();
        Win32Error createFails;
        Win32Error limitFails;
        Win32Error assignFails;

        @Override
        public Job create() throws Win32Error {
            calls.add("create");
            if (createFails != null) {
                throw createFails;
            }
            return new Job() { };
        }

        @Override
        public void killOnClose(Job job) throws Win32Error {
            calls.add("killOnClose");
            if (limitFails != null) {
                throw limitFails;
            }
        }

        @Override
        public void assign(Job job, long pid) throws Win32Error {
            calls.add("assign " + pid);
            if (assignFails != null) {
                throw assignFails;
            }
        }
    }

    private static Process self() throws Exception {
        // A real process handle for the pid; on any OS.
        return new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-version").start();
    }

    @Test
    void oneJobThatKillsOnCloseIsMadeOnceAndEveryCommandIsPutInIt() throws Exception {
        FakeJobs api = new FakeJobs();
        WindowsJob job = new WindowsJob(api);
        Process a = self();
        Process b = self();
        job.adopt(a);
        job.adopt(b);
        assertThat(api.calls).containsExactly("create", "killOnClose", "assign " + a.pid(), "assign " + b.pid());
        assertThat(job.active()).isTrue();
    }

    @Test
    void failuresAreToldOnceAndNeverStopACommand() throws Exception {
        record Case(String name, boolean create, boolean limit, boolean assign, List<String> expected, boolean active) { }
        Win32Error denied = new Win32Error(5, "Access is denied.");
        List<Case> cases = List.of(
                new Case("no job can be made: commands run as before, no more tries", true, false, false,
                        List.of("create"), false),
                new Case("the kill-on-close limit is refused: the job is not used (it would not end anything)",
                        false, true, false, List.of("create", "killOnClose"), false),
                new Case("a process cannot be put in: the next one is still tried", false, false, true,
                        List.of("create", "killOnClose", "assign", "assign"), true));
        for (Case c : cases) {
            FakeJobs api = new FakeJobs();
            api.createFails = c.create() ? denied : null;
            api.limitFails = c.limit() ? denied : null;
            api.assignFails = c.assign() ? denied : null;
            WindowsJob job = new WindowsJob(api);
            job.adopt(self());
            job.adopt(self());
            assertThat(api.calls.stream().map(s -> s.replaceAll(" \\d+$", "")).toList()).as(c.name())
                    .isEqualTo(c.expected());
            assertThat(job.active()).as(c.name()).isEqualTo(c.active());
        }
    }
}
