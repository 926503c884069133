-- Issue 12: rolling batches (io.hulftark.fleet.store.BatchStore). Shared by H2 and PostgreSQL.
-- A batch is one fleet action asked of many clusters, a few at a time. Its row is its audit (who, what, why, on
-- which clusters, how each ended); the history has no event of its own for it, the actions it starts have theirs.
CREATE TABLE fleet_batch (
    id              VARCHAR(64)              NOT NULL PRIMARY KEY,
    action          VARCHAR(16)              NOT NULL,
    node            VARCHAR(64),
    tag             VARCHAR(64),
    force_it        BOOLEAN                  NOT NULL,
    reason          VARCHAR(2000)            NOT NULL,
    -- The selection as it was asked (JSON text): the clusters it resolved to are the rows of fleet_batch_cluster.
    selection       VARCHAR                  NOT NULL,
    concurrency     INTEGER                  NOT NULL,
    stop_on_failure BOOLEAN                  NOT NULL,
    pause_seconds   INTEGER                  NOT NULL,
    state           VARCHAR(16)              NOT NULL,
    requested_by    VARCHAR(128)             NOT NULL,
    requested_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at        TIMESTAMP WITH TIME ZONE,
    -- No cluster starts before this (pause-seconds after the previous start).
    next_start_at   TIMESTAMP WITH TIME ZONE,
    -- The fleet-view instance that drives the batch until lease_until; renewed every second, taken over when it lapses.
    lease_owner     VARCHAR(64),
    lease_until     TIMESTAMP WITH TIME ZONE
);
-- The newest first (the list and its paging), and the batches not yet ended (what the runners look for each second).
CREATE INDEX fleet_batch_requested ON fleet_batch (requested_at DESC, id DESC);
CREATE INDEX fleet_batch_open ON fleet_batch (ended_at, id);

CREATE TABLE fleet_batch_cluster (
    batch_id   VARCHAR(64)              NOT NULL REFERENCES fleet_batch (id) ON DELETE CASCADE,
    seq        INTEGER                  NOT NULL,
    cluster    VARCHAR(64)              NOT NULL,
    state      VARCHAR(16)              NOT NULL,
    action_id  VARCHAR(64),
    detail     VARCHAR(2000),
    started_at TIMESTAMP WITH TIME ZONE,
    ended_at   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (batch_id, seq)
);
