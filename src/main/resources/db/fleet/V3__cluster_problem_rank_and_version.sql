-- The problem-first order of the cluster table as a column that every evaluation keeps, so that a page of the
-- table is read from an index instead of sorting every cluster: SPLIT, DOWN, STALE, DEGRADED, MAINTENANCE, OK,
-- each unacknowledged before acknowledged (rank = 2 * state's place + 1 when an acknowledgement is in force).
-- An acknowledgement's expiry is a recheck instant, so the rank follows it within a re-derivation round.
ALTER TABLE fleet_cluster ADD COLUMN problem_rank INT NOT NULL DEFAULT 11;
UPDATE fleet_cluster SET problem_rank = 2 * (CASE state WHEN 'SPLIT' THEN 0 WHEN 'DOWN' THEN 1 WHEN 'STALE' THEN 2
    WHEN 'DEGRADED' THEN 3 WHEN 'MAINTENANCE' THEN 4 ELSE 5 END)
    + (CASE WHEN ack_until > CURRENT_TIMESTAMP THEN 1 ELSE 0 END);
CREATE INDEX fleet_cluster_problem ON fleet_cluster (problem_rank, since, name);
CREATE INDEX fleet_cluster_since ON fleet_cluster (since DESC, name);

-- Raised by every write that evaluates the cluster: an instance that still holds the cluster's nodes from its
-- own last write at this version needs not read them again (one instance) and a write by another instance
-- shows as a newer version (several on one PostgreSQL).
ALTER TABLE fleet_cluster ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
