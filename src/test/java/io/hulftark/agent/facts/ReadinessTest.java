package io.hulftark.agent.facts;

import io.hulftark.wire.NodeFacts.PreflightRow;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The preflights on their own worker: scheduled, on demand, bounded, and never ended by a failure. */
class ReadinessTest {

    private static final Readiness.Outcome OK = new Readiness.Outcome(List.of(new PreflightRow("conf_file",
            PreflightRow.OK, "/opt/hulft/etc/hulenv.cnf")), Optional.of("demand"));

    @Test
    void anIntervalUnderTenSecondsIsRefusedWithOneLine() throws Exception {
        try (Readiness r = new Readiness(List::of, tag -> OK, Clock.systemUTC(), () -> { })) {
            assertThatThrownBy(() -> r.start(Duration.ofSeconds(5))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("hulftark.agent.validate-interval must be at least 10s, not PT5S");
        }
    }

    @Test
    void theFirstRunComesSoonOnItsOwnThreadAndIsTold() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch told = new CountDownLatch(1);
        try (Readiness r = new Readiness(() -> List.of("a", "b"), tag -> {
            threads.add(Thread.currentThread().getName());
            return OK;
        }, Clock.systemUTC(), told::countDown)) {
            r.start(Duration.ofMinutes(10));

            assertThat(told.await(20, TimeUnit.SECONDS)).as("the first run, told").isTrue();
            assertThat(threads).containsExactly("agent-validate", "agent-validate");
            assertThat(r.results()).extracting(Readiness.Result::tag).containsExactly("a", "b");
            assertThat(r.validatedAt()).isNotNull();
        }
    }

    @Test
    void aPreflightThatThrowsIsAFailRowAndTheNextRunStillComes() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (Readiness r = new Readiness(() -> List.of("hulft"), tag -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("ins_list vanished");
            }
            return OK;
        }, Clock.systemUTC(), () -> { })) {
            List<Readiness.Result> first = r.runNow(Duration.ofSeconds(10));
            assertThat(first).singleElement().satisfies(res -> assertThat(res.outcome().rows()).singleElement()
                    .satisfies(row -> {
                        assertThat(row.result()).isEqualTo(PreflightRow.FAIL);
                        assertThat(row.detail()).contains("ins_list vanished");
                    }));

            assertThat(r.runNow(Duration.ofSeconds(10)).get(0).outcome()).isEqualTo(OK);
        }
    }

    @Test
    void onDemandItWaitsNoLongerThanItsBoundAndTheRunStillEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Readiness r = new Readiness(() -> List.of("hulft"), tag -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return OK;
        }, Clock.systemUTC(), () -> { })) {
            assertThatThrownBy(() -> r.runNow(Duration.ofMillis(200))).isInstanceOf(TimeoutException.class);
            assertThat(r.results()).isEmpty();

            release.countDown();
            assertThat(r.runNow(Duration.ofSeconds(10))).singleElement()
                    .satisfies(res -> assertThat(res.outcome()).isEqualTo(OK));
        }
    }
}
