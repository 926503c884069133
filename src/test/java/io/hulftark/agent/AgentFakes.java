package io.hulftark.agent;

import io.hulftark.hulft.PortProbe;
import io.hulftark.hulft.ProbeResult;
import io.hulftark.kit.Action;
import io.hulftark.kit.KitParameters;
import io.hulftark.platform.PlatformException;
import io.hulftark.platform.ServiceControl;
import io.hulftark.platform.ServiceState;
import io.hulftark.platform.StartType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** Fakes of the agent's collaborators: a clock moved by hand, scripted services, probes and executors. */
final class AgentFakes {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private AgentFakes() {
    }

    /** A clock that only moves when told. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        Instant advance(Duration d) {
            return now.updateAndGet(t -> t.plus(d));
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

    /** Services whose state is set per name; every question is recorded. */
    static class FakeServices implements ServiceControl {
        final Map<String, ServiceState> states = new ConcurrentHashMap<>();
        final List<String> asked = new CopyOnWriteArrayList<>();
        volatile RuntimeException error;

        FakeServices set(String service, ServiceState state) {
            states.put(service, state);
            return this;
        }

        @Override
        public ServiceState state(String service, Duration bound) {
            asked.add(service);
            if (error != null) {
                throw error;
            }
            return states.getOrDefault(service, ServiceState.NOT_INSTALLED);
        }

        @Override
        public StartType startType(String service, Duration bound) {
            throw new PlatformException("not used by the agent");
        }

        @Override
        public void setDemandStart(String service, Duration bound) {
            throw new PlatformException("not used by the agent");
        }

        long askedFor(String service) {
            return asked.stream().filter(service::equals).count();
        }
    }

    /** A probe that answers from a function of the port; records the hosts it was given. */
    static final class FakeProbe implements PortProbe {
        final List<String> hosts = new CopyOnWriteArrayList<>();
        volatile Function<Integer, ProbeResult> answer = port -> ProbeResult.success(port, Duration.ofMillis(port % 100));

        @Override
        public ProbeResult probe(String host, int port, Duration bound) {
            hosts.add(host);
            return answer.apply(port);
        }

        @Override
        public String name() {
            return "fake";
        }
    }

    /** An executor with a scripted outcome, in direct mode unless told; it can be held until released. */
    static class FakeExecutor implements ActionExecutor {
        volatile Function<Action, Outcome> outcome = a -> new Outcome(0, List.of());
        volatile String mode = "direct";
        final List<String> ran = new CopyOnWriteArrayList<>();
        final AtomicInteger entered = new AtomicInteger();
        private volatile CountDownLatch gate;

        /** Holds every execution until the returned latch is counted down. */
        CountDownLatch gate() {
            gate = new CountDownLatch(1);
            return gate;
        }

        void releaseAll() {
            CountDownLatch g = gate;
            if (g != null) {
                g.countDown();
            }
        }

        @Override
        public Outcome execute(Action action, String tag) {
            ran.add(action.word() + " " + tag);
            entered.incrementAndGet();
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    if (!g.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return outcome.apply(action);
        }

        @Override
        public String mode(Action action) {
            return mode;
        }
    }

    static Path hulenv(Path dir, String text) throws IOException {
        return Files.writeString(dir.resolve("hulenv.cnf"), text);
    }

    static KitParameters parameters(Path confFile) {
        return new KitParameters(Optional.empty(), Optional.ofNullable(confFile), false, 2, Duration.ofSeconds(300),
                true, KitParameters.ProbeKind.TCP, Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(2),
                false);
    }
}
