package io.hulftark.fleet.actions.batch;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.hulftark.fleet.store.BatchStore;
import io.hulftark.fleet.store.FleetStoreException;
import io.hulftark.fleet.store.StoreFault;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batches' store on a server that cannot be reached fails as a store fault (503), not an internal error (500). */
class BatchStoreUnreachableTest {

    @Test
    void anUnreachableServerIsAFault() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // nobody listens there once closed
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/hulftark?connectTimeout=2";
        try (AgroalDataSource pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(p -> p.maxSize(2).acquisitionTimeout(Duration.ofSeconds(5))
                        .connectionFactoryConfiguration(f -> f.jdbcUrl(url).principal(new NamePrincipal("hulftark"))
                                .credential(new SimplePassword("x")))))) {
            BatchStore store = new BatchStore(pool);
            for (Runnable write : new Runnable[] {
                () -> store.claim("a", Instant.now(), Instant.now()),
                () -> store.get("batch-1"),
                () -> store.transition("batch-1", java.util.Set.of("RUNNING"), "PAUSED", null, Instant.now())}) {
                assertThatThrownBy(write::run).isInstanceOf(FleetStoreException.class)
                        .satisfies(e -> assertThat(((FleetStoreException) e).fault()).map(StoreFault::kind)
                                .contains(StoreFault.Kind.UNREACHABLE));
            }
        }
    }
}
