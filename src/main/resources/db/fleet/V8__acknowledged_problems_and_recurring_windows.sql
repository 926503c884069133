-- Issue 14, items 4 and 5. Shared by H2 and PostgreSQL (V7 is another change's).
--
-- An acknowledgement belongs to the problem it was given for: the state and its reason then, and whether it
-- outlives a change of state (sticky). It may last as long as its problem (no until). The store ends it in the
-- transaction that derives the state (recovery, a change unless sticky, expiry) and records why as an ACK event.
ALTER TABLE fleet_ack ADD COLUMN state VARCHAR(16);
ALTER TABLE fleet_ack ADD COLUMN problem VARCHAR;
ALTER TABLE fleet_ack ADD COLUMN sticky BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE fleet_ack ALTER COLUMN until_at DROP NOT NULL;
-- Acknowledgements from before acknowledged the state the cluster is in.
UPDATE fleet_ack SET state = (SELECT c.state FROM fleet_cluster c WHERE c.id = fleet_ack.cluster_id),
    problem = COALESCE((SELECT c.reason FROM fleet_cluster c WHERE c.id = fleet_ack.cluster_id), '');
UPDATE fleet_ack SET state = 'DOWN' WHERE state IS NULL;

-- The cluster's acknowledgement in force, beside ack_until (its expiry, null: none), so that the table, the
-- summary and the problem order need no join; ack_by is null when there is none.
ALTER TABLE fleet_cluster ADD COLUMN ack_by VARCHAR;
ALTER TABLE fleet_cluster ADD COLUMN ack_sticky BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE fleet_cluster SET ack_by = (SELECT MAX(a.by_user) FROM fleet_ack a WHERE a.cluster_id = fleet_cluster.id
    AND a.until_at = fleet_cluster.ack_until) WHERE ack_until > CURRENT_TIMESTAMP;

-- A window never changes the state any more: the cluster shows its real state with a marker. Each evaluation
-- keeps the occurrence that covers now, or else the next one, so that a read at any instant tells "in maintenance
-- until" and the summary counts the clusters in a window without reading the windows.
ALTER TABLE fleet_cluster ADD COLUMN window_from TIMESTAMP WITH TIME ZONE;
ALTER TABLE fleet_cluster ADD COLUMN window_until TIMESTAMP WITH TIME ZONE;
-- Whether the last evaluation found it in a window: a change is a MAINTENANCE event ("in maintenance until ...").
ALTER TABLE fleet_cluster ADD COLUMN in_maintenance BOOLEAN NOT NULL DEFAULT FALSE;

-- Recurring windows: every one of days (e.g. SUNDAY,MONDAY) at start_time (HH:MM, wall-clock time in zone, an IANA
-- name) for duration_s seconds, within [starts_at, ends_at); ends_at null: the series never ends. days null: a
-- one-off window [starts_at, ends_at).
ALTER TABLE fleet_maintenance ALTER COLUMN ends_at DROP NOT NULL;
ALTER TABLE fleet_maintenance ADD COLUMN days VARCHAR;
ALTER TABLE fleet_maintenance ADD COLUMN start_time VARCHAR(8);
ALTER TABLE fleet_maintenance ADD COLUMN duration_s BIGINT;
ALTER TABLE fleet_maintenance ADD COLUMN zone VARCHAR;

-- Clusters shown as MAINTENANCE are derived again by the next round, and show their real state.
UPDATE fleet_cluster SET recheck_at = CURRENT_TIMESTAMP WHERE state = 'MAINTENANCE' OR ack_until IS NOT NULL
    OR maintenance_until > CURRENT_TIMESTAMP;
