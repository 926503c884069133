package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A PostgreSQL server that cannot be reached is a store that cannot take work (503), not an internal error. */
class StoreUnreachableTest {

    @Test
    void anUnreachableServerIsAFaultAndMarksTheStoreDown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // nobody listens there once closed
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/hulftark?connectTimeout=2";
        try (AgroalDataSource pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(p -> p.maxSize(2).acquisitionTimeout(Duration.ofSeconds(5))
                        .connectionFactoryConfiguration(f -> f.jdbcUrl(url).principal(new NamePrincipal("hulftark"))
                                .credential(new SimplePassword("x")))))) {
            JdbcFleetStore jdbc = new JdbcFleetStore(pool, JdbcFleetStore.Dialect.POSTGRESQL, Duration.ofSeconds(35),
                    Duration.ofMinutes(10), 4);
            StoreAvailability availability = new StoreAvailability("the fleet view's store (PostgreSQL "
                    + FleetStoreProducer.serverOf(url) + ")", Clock.systemUTC());
            GuardedFleetStore store = new GuardedFleetStore(jdbc, availability, jdbc::lastEventId,
                    () -> pool.flush(AgroalDataSource.FlushMode.GRACEFUL));

            assertThatThrownBy(() -> store.prune(Instant.now())).isInstanceOf(FleetStoreException.class)
                    .satisfies(e -> assertThat(((FleetStoreException) e).fault()).map(StoreFault::kind)
                            .contains(StoreFault.Kind.UNREACHABLE));
            assertThat(availability.problem()).hasValueSatisfying(p -> assertThat(p)
                    .startsWith("the fleet view's store (PostgreSQL 127.0.0.1:" + port + "/hulftark) cannot be reached: "));
            assertThat(store.probe()).isFalse();
        }
    }
}
