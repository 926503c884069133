-- Issue 12: what each node's agent says of itself besides its resources: its labels from its configuration
-- (hulftark.agent.labels, a JSON object of key to value), whether it runs actions the fleet view sends, and how
-- (lifekeeper or direct; null when it does not say). They ride the node's row, which every report rewrites anyway.
-- The cluster keeps the union of its known nodes' labels as lines "\nkey=value\n...\n", written with the derived
-- row, so that the cluster table filters by label with one LIKE a label, as it searches names.
-- Shared by H2 and PostgreSQL.
ALTER TABLE fleet_node ADD COLUMN labels VARCHAR NOT NULL DEFAULT '{}';
ALTER TABLE fleet_node ADD COLUMN fleet_actions BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE fleet_node ADD COLUMN actions_via VARCHAR;
ALTER TABLE fleet_cluster ADD COLUMN labels VARCHAR NOT NULL DEFAULT '';
