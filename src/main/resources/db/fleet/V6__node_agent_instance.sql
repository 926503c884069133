-- Issue 11: a node's reports are ordered by the agent process that sent them (a random id per process) and its
-- seq, never by the agent's clock, so no report from a clock that ran ahead (or a forged one) can make every later
-- report of the node look old: a report of another process than the latest is newer, as the fleet view received
-- it later. Rows from before have none: they count as one process per agent start. Forgetting a node clears it.
-- Shared by H2 and PostgreSQL (V5 is PostgreSQL's own).
ALTER TABLE fleet_node ADD COLUMN instance VARCHAR;
