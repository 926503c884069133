-- Issue 14: notifications tell acknowledgements (io.hulftark.fleet.notify.JdbcOutbox). Shared by H2 and PostgreSQL.
-- A change is now also an acknowledgement given (ACKNOWLEDGED) or ended while its problem lasts (ACK_ENDED),
-- recorded in the transaction that gave or ended it, like a state change with its STATE event.
ALTER TABLE fleet_notify_change ADD COLUMN kind VARCHAR(16) DEFAULT 'STATE' NOT NULL;
ALTER TABLE fleet_notify_change ADD COLUMN ack_by VARCHAR;
ALTER TABLE fleet_notify_change ADD COLUMN ack_comment VARCHAR;
ALTER TABLE fleet_notify_change ADD COLUMN ack_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE fleet_notify_change ADD COLUMN ack_sticky BOOLEAN DEFAULT FALSE NOT NULL;
-- Who acknowledged the problem a receiver was told of, while that lasts: its RESOLVED says so.
ALTER TABLE fleet_notify_problem ADD COLUMN acked_by VARCHAR;
ALTER TABLE fleet_notify_outbox ADD COLUMN ack_by VARCHAR;
ALTER TABLE fleet_notify_outbox ADD COLUMN ack_comment VARCHAR;
ALTER TABLE fleet_notify_outbox ADD COLUMN ack_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE fleet_notify_outbox ADD COLUMN ack_sticky BOOLEAN DEFAULT FALSE NOT NULL;
