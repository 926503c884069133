-- PostgreSQL only (Flyway locations db/fleet and db/fleet-postgresql). Versions are one sequence across both
-- folders: H2 has no V5, and the next shared script is V6.
--
-- Every report rewrites its cluster's and its node's row. PostgreSQL writes an updated row as a new version;
-- when no indexed column changed and the page has room, the new version stays on its page and no index gets a
-- new entry (a HOT update). Without that, 1,000 reports a second leave every index of fleet_cluster a dozen dead
-- entries per row between two vacuums, and a page of the cluster table read from an index visits them all
-- (measured: 43 ms for a page at offset 4,000 of 5,000 clusters, 53,000 buffers; 3 ms after). So:
--  * room in every page for the next version of its rows (existing rows move there as they are updated);
--  * no indexed column that a report changes without changing the state (V4 dropped the one on recheck_at;
--    the problem rank and since change only with the state);
--  * the table's orders as PostgreSQL's queries spell them (name COLLATE "C", the same order on every site),
--    so that a page is read from an index in order with no sort at all.
ALTER TABLE fleet_cluster SET (fillfactor = 50);
ALTER TABLE fleet_node SET (fillfactor = 60);
DROP INDEX fleet_cluster_problem;
DROP INDEX fleet_cluster_since;
CREATE INDEX fleet_cluster_problem ON fleet_cluster (problem_rank, since, name COLLATE "C");
CREATE INDEX fleet_cluster_since ON fleet_cluster (since DESC, name COLLATE "C");
CREATE INDEX fleet_cluster_name_c ON fleet_cluster (name COLLATE "C");
