package io.hulftark.fleet.store;


import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import static io.hulftark.fleet.store.Sql.micros;
import static io.hulftark.fleet.store.Sql.setInstant;

/** Retention: deletes old events, and acknowledgements and windows that ended long ago. */
final class StoreRetention {

    private static final int PRUNE_BATCH = 10_000;

    private final DataSource dataSource;

    StoreRetention(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    long prune(Instant before) {
        Instant at = micros(before);
        long deleted = 0;
        // In slices, so that no transaction holds many row locks or a long WAL record.
        for (String sql : List.of(
                "DELETE FROM fleet_event WHERE id IN (SELECT id FROM fleet_event WHERE at < ? LIMIT " + PRUNE_BATCH + ")",
                "DELETE FROM fleet_ack WHERE id IN (SELECT id FROM fleet_ack WHERE until_at < ? LIMIT "
                        + PRUNE_BATCH + ")",
                "DELETE FROM fleet_maintenance WHERE id IN (SELECT id FROM fleet_maintenance WHERE ends_at < ? LIMIT "
                        + PRUNE_BATCH + ")")) {
            int n;
            do {
                n = Sql.transaction(dataSource, "prune", c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        setInstant(ps, 1, at);
                        return ps.executeUpdate();
                    }
                });
                deleted += n;
            } while (n == PRUNE_BATCH);
        }
        return deleted;
    }
}
