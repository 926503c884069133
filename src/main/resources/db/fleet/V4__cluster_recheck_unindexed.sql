-- Every report moves its cluster's recheck_at, so an index on it is rewritten a thousand times a second at
-- 10,000 nodes: in H2 a copy-on-write B-tree whose pages are written out again, in PostgreSQL an index entry
-- per row version that also keeps the update from staying on its page. Only the re-derivation round reads
-- recheck_at, once a second: it reads the table instead (a few milliseconds at 5,000 clusters).
DROP INDEX fleet_cluster_recheck;
