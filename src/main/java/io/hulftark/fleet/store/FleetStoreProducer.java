package io.hulftark.fleet.store;

import io.agroal.api.AgroalDataSource;
import io.hulftark.fleet.FleetConfig;
import io.hulftark.fleet.notify.NotifyConfig;
import io.hulftark.fleet.notify.NotifyService;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * The fleet store on the datasource hulftark.fleet.store names. Lazy: the agent boots the same application with
 * both datasources inactive and never asks for the store; asking for it then fails with the reason.
 */
@ApplicationScoped
public class FleetStoreProducer {

    /** Free space the probe must find next to H2's file before writes are tried again: a few of its chunks. */
    static final int PROBE_BYTES = 1024 * 1024;

    @Inject
    FleetConfig config;

    @Inject
    NotifyConfig notify;

    @Inject
    @DataSource("embedded")
    InjectableInstance<AgroalDataSource> embedded;

    @Inject
    @DataSource("postgresql")
    InjectableInstance<AgroalDataSource> postgresql;

    /** A singleton, not behind a client proxy: the service asks the GuardedFleetStore itself for its availability. */
    @Produces
    @Singleton
    FleetStore fleetStore() {
        boolean h2 = config.store() == FleetConfig.Store.EMBEDDED;
        String name = h2 ? "embedded" : "postgresql";
        InjectableInstance<AgroalDataSource> instance = h2 ? embedded : postgresql;
        if (instance.listActive().isEmpty()) {
            throw new IllegalStateException("hulftark.fleet.store is " + name + " but quarkus.datasource." + name
                    + ".active is not true ('hulft-ark fleet' sets it; the agent has no fleet store)");
        }
        AgroalDataSource pool = instance.getActive();
        JdbcFleetStore store = new JdbcFleetStore(pool, h2 ? JdbcFleetStore.Dialect.H2 : JdbcFleetStore.Dialect.POSTGRESQL,
                config.freshFor(), config.flapWindow(), config.flapChanges(), readiness(config.readiness()));
        store.recordStateChanges(NotifyService.enabled(notify));
        String url = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource." + name + ".jdbc.url", String.class)
                .orElse("");
        Runnable dropConnections = () -> pool.flush(AgroalDataSource.FlushMode.GRACEFUL);
        if (h2) {
            Path folder = h2Folder(url);
            return new GuardedFleetStore(store, new StoreAvailability("the fleet view's store at " + folder,
                    Clock.systemUTC(), fault -> explain(fault, folder)), () -> {
                probeSpace(folder);
                store.lastEventId(); // a fresh connection opens the database H2 closed
            }, dropConnections);
        }
        return new GuardedFleetStore(store, new StoreAvailability("the fleet view's store (PostgreSQL "
                + serverOf(url) + ")", Clock.systemUTC()), store::lastEventId, dropConnections);
    }

    static JdbcFleetStore.Readiness readiness(FleetConfig.Readiness config) {
        return new JdbcFleetStore.Readiness(config.effect() == FleetConfig.Readiness.Effect.DEGRADE,
                java.util.Set.copyOf(config.perNodeKeys().orElse(java.util.List.of())));
    }

    /** Fleet actions on the same database as the fleet store (issue 12). */
    @Produces
    @Singleton
    JdbcActionStore actionStore() {
        boolean h2 = config.store() == FleetConfig.Store.EMBEDDED;
        InjectableInstance<AgroalDataSource> instance = h2 ? embedded : postgresql;
        if (instance.listActive().isEmpty()) {
            throw new IllegalStateException("hulftark.fleet.store is " + (h2 ? "embedded" : "postgresql")
                    + " but its datasource is not active (the agent has no fleet store)");
        }
        return new JdbcActionStore(instance.getActive(), Clock.systemUTC());
    }

    /** The folder of H2's file from its URL: jdbc:h2:[retry:|file:]PATH[;OPTIONS]. */
    static Path h2Folder(String url) {
        String rest = url.startsWith("jdbc:h2:") ? url.substring("jdbc:h2:".length()) : url;
        int semi = rest.indexOf(';');
        rest = semi < 0 ? rest : rest.substring(0, semi);
        for (String prefix : new String[] {"retry:", "file:", "nio:", "nioMapped:"}) {
            if (rest.startsWith(prefix)) {
                rest = rest.substring(prefix.length());
            }
        }
        Path file = Path.of(rest).toAbsolutePath().normalize();
        return file.getParent() == null ? file : file.getParent();
    }

    /** host:port/database of a PostgreSQL URL, without its parameters (which may hold a password). */
    static String serverOf(String url) {
        String rest = url.replaceFirst("^jdbc:postgresql:(//)?", "");
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    /** Writes and syncs {@link #PROBE_BYTES} next to the database, then removes them: throws while the disk is full. */
    /**
     * H2 closes its database when its background writer cannot write, and the requests after that only learn
     * "closed": when the store's file system has no room for a probe's worth of bytes, the cause is a full disk.
     */
    static StoreFault explain(StoreFault fault, Path folder) {
        try {
            return Files.getFileStore(folder).getUsableSpace() < PROBE_BYTES ? StoreFault.diskFull() : fault;
        } catch (IOException e) {
            return fault;
        }
    }

    static void probeSpace(Path folder) throws IOException {
        Path probe = folder.resolve(".space-probe");
        try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            for (int written = 0; written < PROBE_BYTES; written += b.capacity()) {
                b.clear();
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            ch.force(false);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
