-- Issue 14: people read a cluster's history newest first by when things happened (GET /events?order=NEWEST),
-- not by id: an agent's events arrive after the fact. Without this index every page sorted all of the cluster's
-- events kept (30 days by default). V7 and V8 are taken by other changes of the same issue.
CREATE INDEX fleet_event_cluster_at ON fleet_event (cluster, at, id);
