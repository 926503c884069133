-- The latest end of a cluster's maintenance windows: most clusters have none, and their ingest then reads
-- no window. Filled for clusters that already have windows.
ALTER TABLE fleet_cluster ADD COLUMN maintenance_until TIMESTAMP WITH TIME ZONE;
UPDATE fleet_cluster SET maintenance_until =
    (SELECT MAX(m.ends_at) FROM fleet_maintenance m WHERE m.cluster_id = fleet_cluster.id);
