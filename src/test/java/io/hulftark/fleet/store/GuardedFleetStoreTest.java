package io.hulftark.fleet.store;

import io.hulftark.fleet.view.EventQuery;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A full disk marks the store unavailable, refuses writes at once until a probe passes, and recovers by itself. */
class GuardedFleetStoreTest {

    private final List<String> calls = new ArrayList<>();
    private final AtomicBoolean diskFull = new AtomicBoolean();
    private final AtomicInteger drops = new AtomicInteger();
    private final StoreAvailability availability = new StoreAvailability("the fleet view's store at /var/lib/x/fleet",
            Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC));

    /** A store whose every call fails as H2 does on a full disk while {@link #diskFull} is set. */
    private final FleetStore fake = (FleetStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {FleetStore.class}, (InvocationHandler) (proxy, method, args) -> {
                calls.add(method.getName());
                if (diskFull.get()) {
                    throw Sql.failed(method.getName(), new SQLException("General error", "HY000", 50000,
                            new IOException("No space left on device")));
                }
                return switch (method.getName()) {
                    case "lastEventId", "prune" -> 7L;
                    case "reevaluateDue" -> 0;
                    case "events" -> List.of();
                    case "cluster" -> Optional.empty();
                    default -> null;
                };
            });

    private final GuardedFleetStore store = new GuardedFleetStore(fake, availability, () -> {
        if (diskFull.get()) {
            throw new IOException("No space left on device");
        }
    }, drops::incrementAndGet);

    @Test
    void aFullDiskRefusesWritesWithOneReasonAndRecoversWhenSpaceReturns() {
        assertThat(store.prune(Instant.EPOCH)).isEqualTo(7L);
        assertThat(availability.problem()).isEmpty();

        diskFull.set(true);
        assertThatThrownBy(() -> store.prune(Instant.EPOCH)).isInstanceOf(FleetStoreException.class)
                .satisfies(e -> assertThat(((FleetStoreException) e).fault()).map(StoreFault::kind)
                        .contains(StoreFault.Kind.DISK_FULL));
        assertThat(availability.problem()).contains(
                "the fleet view's store at /var/lib/x/fleet cannot write: no space left on device");
        assertThat(drops).as("the pool's dead connections are dropped").hasValue(1);

        // While down, writes are refused without touching the database (no reopen storm); reads are tried.
        calls.clear();
        assertThatThrownBy(() -> store.reevaluateDue(Instant.EPOCH)).isInstanceOf(FleetStoreException.class)
                .hasMessageContaining("no space left on device")
                .satisfies(e -> assertThat(((FleetStoreException) e).fault()).isPresent());
        assertThat(calls).isEmpty();
        assertThatThrownBy(() -> store.events(new EventQuery(0, Optional.empty(), Optional.empty(), 10)))
                .isInstanceOf(FleetStoreException.class);
        assertThat(calls).containsExactly("events");

        assertThat(store.probe()).as("still full").isFalse();
        assertThat(availability.problem()).isPresent();

        diskFull.set(false);
        assertThat(store.probe()).as("space returned").isTrue();
        assertThat(availability.problem()).isEmpty();
        assertThat(store.reevaluateDue(Instant.EPOCH)).isZero();
    }

    @Test
    void theClosedDatabaseAfterAFullDiskKeepsTheFirstReason() {
        availability.failed(StoreFault.diskFull());
        availability.failed(new StoreFault(StoreFault.Kind.CLOSED, "the database was closed after a failed write"));
        assertThat(availability.problem()).contains(
                "the fleet view's store at /var/lib/x/fleet cannot write: no space left on device");
        availability.writable();
        assertThat(availability.problem()).isEmpty();
    }

    @Test
    void anOrdinaryFailureLeavesTheStoreAvailable() {
        GuardedFleetStore s = new GuardedFleetStore((FleetStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {FleetStore.class}, (proxy, method, args) -> {
                    throw Sql.failed("prune", new SQLException("deadlock detected", "40P01"));
                }), availability, () -> { }, drops::incrementAndGet);
        assertThatThrownBy(() -> s.prune(Instant.EPOCH)).isInstanceOf(FleetStoreException.class);
        assertThat(availability.problem()).isEmpty();
        assertThat(drops).hasValue(0);
    }

    @Test
    void aStorageFailureThrownOutsideAStatementIsStillA503NotA500() {
        GuardedFleetStore s = new GuardedFleetStore((FleetStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {FleetStore.class}, (proxy, method, args) -> {
                    throw new org.h2.mvstore.MVStoreException(org.h2.mvstore.DataUtils.ERROR_CLOSED,
                            "This store is closed [2.4.240/4]");
                }), availability, () -> { }, drops::incrementAndGet);
        assertThatThrownBy(() -> s.reevaluateDue(Instant.EPOCH)).isInstanceOf(FleetStoreException.class)
                .satisfies(e -> assertThat(((FleetStoreException) e).fault()).map(StoreFault::kind)
                        .contains(StoreFault.Kind.CLOSED));
        assertThat(availability.problem()).isPresent();
        assertThat(drops).hasValue(1);
    }

    @Test
    void anUnexpectedRuntimeFailureIsNotTakenForTheStores() {
        GuardedFleetStore s = new GuardedFleetStore((FleetStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {FleetStore.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("a bug");
                }), availability, () -> { }, drops::incrementAndGet);
        assertThatThrownBy(() -> s.prune(Instant.EPOCH)).isInstanceOf(IllegalStateException.class);
        assertThat(availability.problem()).isEmpty();
    }
}
