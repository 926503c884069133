package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import io.hulftark.fleet.FleetConfig;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * The fleet store on the datasource hulftark.fleet.store names. Lazy: the agent boots the same application with
 * both datasources inactive and never asks for the store; asking for it then fails with the reason.
 */
@ApplicationScoped
public class FleetStoreProducer {

    @Inject
    FleetConfig config;

    @Inject
    @DataSource("embedded")
    InjectableInstance<AgroalDataSource> embedded;

    @Inject
    @DataSource("postgresql")
    InjectableInstance<AgroalDataSource> postgresql;

    @Produces
    @ApplicationScoped
    FleetStore fleetStore() {
        String name = config.store() == FleetConfig.Store.EMBEDDED ? "embedded" : "postgresql";
        InjectableInstance<AgroalDataSource> instance = config.store() == FleetConfig.Store.EMBEDDED ? embedded : postgresql;
        if (instance.listActive().isEmpty()) {
            throw new IllegalStateException("hulftark.fleet.store is " + name + " but quarkus.datasource." + name
                    + ".active is not true ('hulft-ark fleet' sets it; the agent has no fleet store)");
        }
        JdbcFleetStore.Dialect dialect = config.store() == FleetConfig.Store.EMBEDDED
                ? JdbcFleetStore.Dialect.H2 : JdbcFleetStore.Dialect.POSTGRESQL;
        return new JdbcFleetStore(instance.getActive(), dialect, config.freshFor(), config.flapWindow(),
                config.flapChanges());
    }
}
