-- Issue 13: what each node is and how its kit is set up (its facts, sent by the agent when they change), the
-- failing rows of its last preflight, and per cluster what differs between its nodes (drift).
-- facts: the latest NodeFacts as JSON, null until the agent sent any; facts_digest: theirs, to see a change;
-- facts_at: when the fleet view received them. os (name and version as the inventory counts them: "os osVersion"),
-- jvm, lifekeeper_version ("(none)" without LifeKeeper), host and platform are copied out of the facts for the
-- inventory's filters, sorts and counts. readiness: the failing preflight rows as JSON [{tag, check, detail}],
-- validated_at: when the agent ran that preflight (its clock).
-- The cluster keeps its drift (JSON [DriftItem], found when facts arrive), the drift and readiness lines it
-- derived last (config_findings, whose start and end are CONFIG events), and warnings (when the site made them
-- warn only). Shared by H2 and PostgreSQL.
ALTER TABLE fleet_node ADD COLUMN facts VARCHAR;
ALTER TABLE fleet_node ADD COLUMN facts_digest VARCHAR(64);
ALTER TABLE fleet_node ADD COLUMN facts_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE fleet_node ADD COLUMN os VARCHAR;
ALTER TABLE fleet_node ADD COLUMN jvm VARCHAR;
ALTER TABLE fleet_node ADD COLUMN lifekeeper_version VARCHAR;
ALTER TABLE fleet_node ADD COLUMN host VARCHAR;
ALTER TABLE fleet_node ADD COLUMN platform VARCHAR;
ALTER TABLE fleet_node ADD COLUMN readiness VARCHAR NOT NULL DEFAULT '[]';
ALTER TABLE fleet_node ADD COLUMN validated_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE fleet_cluster ADD COLUMN drift VARCHAR NOT NULL DEFAULT '[]';
ALTER TABLE fleet_cluster ADD COLUMN config_findings VARCHAR NOT NULL DEFAULT '[]';
ALTER TABLE fleet_cluster ADD COLUMN warnings VARCHAR NOT NULL DEFAULT '[]';
CREATE INDEX fleet_node_agent_version ON fleet_node (agent_version);
CREATE INDEX fleet_node_os ON fleet_node (os);
CREATE INDEX fleet_node_jvm ON fleet_node (jvm);
CREATE INDEX fleet_node_lifekeeper_version ON fleet_node (lifekeeper_version);
-- Counts for the metrics' one-statement scrape: drifting settings, and failing preflight rows of the known nodes.
ALTER TABLE fleet_cluster ADD COLUMN drift_count INT NOT NULL DEFAULT 0;
ALTER TABLE fleet_cluster ADD COLUMN readiness_failures INT NOT NULL DEFAULT 0;
