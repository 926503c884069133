package io.hulftark.fleet.actions.batch;

import io.agroal.api.AgroalDataSource;
import io.hulftark.fleet.FleetConfig;
import io.hulftark.fleet.store.BatchStore;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The batches' store on the fleet store's datasource (hulftark.fleet.store); asked for only in the fleet role. */
@ApplicationScoped
public class BatchStoreProducer {

    @Inject
    FleetConfig config;

    @Inject
    @DataSource("embedded")
    InjectableInstance<AgroalDataSource> embedded;

    @Inject
    @DataSource("postgresql")
    InjectableInstance<AgroalDataSource> postgresql;

    @Produces
    @Singleton
    BatchStore batchStore() {
        InjectableInstance<AgroalDataSource> pool = config.store() == FleetConfig.Store.EMBEDDED ? embedded : postgresql;
        if (pool.listActive().isEmpty()) {
            throw new IllegalStateException("the fleet store's datasource is not active: batches live in the fleet view");
        }
        return new BatchStore(pool.getActive());
    }
}
