package io.hulftark.kit;

import io.hulftark.platform.CommandResult;
import io.hulftark.platform.CommandRunner;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceControl;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Fakes of the kit's collaborators: scripted answers, recorded calls, a clock that only moves when told. */
final class Fakes {

    private Fakes() {
    }

    /** A monotonic clock that advances only by sleeps and by what the fakes spend. */
    static final class FakeTiming implements Timing {
        long now = 1_000_000_000L;
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration d) {
            sleeps.add(d);
            now += d.toNanos();
        }

        void advance(Duration d) {
            now += d.toNanos();
        }
    }

    /** A service whose state moves as the fake commands say. */
    static final class FakeServices implements ServiceControl {
        final Deque<ServiceState> scripted = new ArrayDeque<>();
        ServiceState state = ServiceState.STOPPED;
        StartType startType = StartType.DEMAND;
        PlatformException stateError;
        PlatformException setDemandError;
        int setDemandCalls;
        final List<String> asked = new ArrayList<>();

        @Override
        public ServiceState state(String service, Duration bound) {
            asked.add(service);
            if (stateError != null) {
                throw stateError;
            }
            return scripted.isEmpty() ? state : scripted.poll();
        }

        @Override
        public StartType startType(String service, Duration bound) {
            return startType;
        }

        @Override
        public void setDemandStart(String service, Duration bound) {
            setDemandCalls++;
            if (setDemandError != null) {
                throw setDemandError;
            }
            startType = StartType.DEMAND;
        }
    }

    /** Answers by the program's file name; records every argument list it was given. */
    static final class FakeRunner implements CommandRunner {
        final List<List<String>> calls = new ArrayList<>();
        final Map<String, Deque<Function<List<String>, CommandResult>>> answers = new HashMap<>();
        final Map<String, Function<List<String>, CommandResult>> always = new HashMap<>();
        FakeTiming timing;

        void answer(String program, Function<List<String>, CommandResult> a) {
            answers.computeIfAbsent(program, k -> new ArrayDeque<>()).add(a);
        }

        void always(String program, Function<List<String>, CommandResult> a) {
            always.put(program, a);
        }

        List<List<String>> callsOf(String program) {
            return calls.stream().filter(c -> name(c).equals(program)).toList();
        }

        @Override
        public synchronized CommandResult run(List<String> argv, Duration bound) {
            calls.add(argv);
            Deque<Function<List<String>, CommandResult>> q = answers.get(name(argv));
            Function<List<String>, CommandResult> a = q != null && !q.isEmpty() ? q.poll() : always.get(name(argv));
            if (a == null) {
                throw new AssertionError("unexpected command " + argv);
            }
            CommandResult r = a.apply(argv);
            if (r.timedOut() && timing != null) {
                timing.advance(bound); // a hung command uses up its whole bound
            }
            return r;
        }

        private static String name(List<String> argv) {
            return Path.of(argv.get(0)).getFileName().toString();
        }
    }

    static CommandResult exit(int code) {
        return new CommandResult(code, code == 0 ? "" : "error " + code, false, null, Duration.ofMillis(3));
    }

    static CommandResult hung() {
        return new CommandResult(-1, "", true, null, Duration.ofSeconds(1));
    }

    /** Records every message as its one-line form. */
    static final class Messages implements Reporter {
        final List<String> lines = new ArrayList<>();
        final List<Message> messages = new ArrayList<>();
        final List<String> debug = new ArrayList<>();

        @Override
        public synchronized void report(Message message, Object... args) {
            if (message == Message.DEBUG) {
                debug.add(message.text(args));
                return;
            }
            messages.add(message);
            lines.add(message.line(args));
        }

        List<Integer> codes() {
            return messages.stream().map(Message::code).toList();
        }
    }
}
