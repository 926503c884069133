package io.hulftark.fleet.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A fault that does not tell its cause ("closed") is explained when it can be: a full disk says so. */
class StoreAvailabilityTest {

    private static final StoreFault CLOSED = new StoreFault(StoreFault.Kind.CLOSED, "the database was closed after a failed write");

    @Test
    void aClosedDatabaseOnAFullDiskIsToldAsAFullDisk() {
        AtomicInteger asked = new AtomicInteger();
        StoreAvailability a = new StoreAvailability("the store at /x", Clock.systemUTC(), f -> {
            asked.incrementAndGet();
            return StoreFault.diskFull();
        });
        a.failed(CLOSED);
        assertThat(a.problem()).contains("the store at /x cannot write: no space left on device");
        a.failed(new StoreFault(StoreFault.Kind.UNREACHABLE, "Connection refused"));
        assertThat(asked).as("only faults that may hide their cause are explained").hasValue(1);
    }

    @Test
    void aRefusalCarriesItsFaultFromTheSameLook() {
        StoreAvailability a = new StoreAvailability("the store at /x", Clock.systemUTC());
        assertThat(a.refusal("ingest")).isEmpty();
        a.failed(StoreFault.diskFull());
        FleetStoreException refused = a.refusal("ingest of c/n").orElseThrow();
        a.writable(); // the probe finds it writable again: the refusal already made keeps its fault
        assertThat(refused.fault()).contains(StoreFault.diskFull());
        assertThat(refused.getMessage())
                .isEqualTo("fleet store: ingest of c/n refused: the store at /x cannot write: no space left on device");
        assertThat(a.refusal("ingest")).isEmpty();
    }

    @Test
    void anExplanationThatFailsKeepsTheFault() {
        StoreAvailability a = new StoreAvailability("the store at /x", Clock.systemUTC(), f -> {
            throw new IllegalStateException("cannot tell");
        });
        a.failed(CLOSED);
        assertThat(a.problem()).contains("the store at /x is closed: the database was closed after a failed write");
    }

    @Test
    void aFolderWithRoomDoesNotMakeAFullDiskOfAClosedDatabase(@TempDir Path dir) {
        assertThat(FleetStoreProducer.explain(CLOSED, dir)).isEqualTo(CLOSED);
        assertThat(FleetStoreProducer.explain(CLOSED, dir.resolve("missing"))).as("an unreadable folder").isEqualTo(CLOSED);
    }
}
