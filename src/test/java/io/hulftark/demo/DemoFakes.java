package io.hulftark.demo;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Fakes for the demo's plain classes: a node that answers from a script, a fault target that records. */
final class DemoFakes {

    private DemoFakes() {
    }

    /** Shared by every fake of a test, so that the order of calls across nodes can be checked. */
    static final class Calls {
        final List<String> list = new ArrayList<>();

        synchronized void add(String call) {
            list.add(call);
        }
    }

    static final class FakeNode implements Node {
        final String name;
        final Calls calls;
        volatile String status = "STOPPED";
        /** Whether the fleet view acts on this node (as its agent's actions would say). */
        volatile boolean fleetActing;
        final Deque<Boolean> outcomes = new ArrayDeque<>();

        FakeNode(String name, Calls calls) {
            this.name = name;
            this.calls = calls;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Observation observe() {
            return new Observation(status, "fake " + status);
        }

        /** Succeeds unless told otherwise; a successful restore makes it RUNNING, a remove STOPPED. */
        @Override
        public Outcome act(String action, String reason) {
            calls.add(action + " " + name);
            boolean ok = outcomes.isEmpty() || outcomes.poll();
            if (ok) {
                status = action.equals("restore") ? "RUNNING" : "STOPPED";
            }
            return new Outcome(ok, ok ? "exit 0 in 0.1 s" : "exit 1 in 15.0 s");
        }

        @Override
        public void checkNow() {
        }

        @Override
        public boolean fleetActing(Instant now, Duration grace) {
            return fleetActing;
        }
    }

    static final class FakeTarget implements FaultTarget {
        final String name;
        final Calls calls;

        FakeTarget(String name, Calls calls) {
            this.name = name;
            this.calls = calls;
        }

        @Override
        public void crash() {
            calls.add("crash " + name);
        }

        @Override
        public int refusePort() {
            calls.add("refusePort " + name);
            return 30000;
        }

        @Override
        public void hangStart() {
            calls.add("hangStart " + name);
        }

        @Override
        public void startService() {
            calls.add("startService " + name);
        }

        @Override
        public java.nio.file.Path makeConfUnreadable() {
            calls.add("makeConfUnreadable " + name);
            return java.nio.file.Path.of("/demo/" + name + "/hulft/etc/hulenv.cnf");
        }

        @Override
        public void clearFaults() {
            calls.add("clearFaults " + name);
        }
    }

    /** A log that keeps its lines (without the time stamp) for assertions. */
    static final class Lines {
        final StringWriter text = new StringWriter();
        final DemoLog log;

        Lines(Clock clock) {
            log = new DemoLog(new PrintWriter(text), clock);
        }

        List<String> lines() {
            return text.toString().lines().map(l -> l.substring(9)).toList();
        }
    }

    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T12:00:00Z"));

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
