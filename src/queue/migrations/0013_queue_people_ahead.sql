-- People ahead count only tickets the same windows serve (issue #11 item 11), across groups:
-- the count reads, per lane, a range of the hall's day with each ticket's item and transfer
-- target in the index (queue_tickets_lane serves the green and ordinary lanes; this one the
-- appointments whose slot has started), so a take stays one indexed COUNT.
CREATE INDEX queue_tickets_due ON queue_tickets(status, hall_id, service_date, priority, rejoined, slot_start, sort_key, item_id, target_window_id);
