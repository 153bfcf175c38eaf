-- The 12-step table rebuild of https://sqlite.org/lang_altertable.html, within
-- one transaction where PRAGMA foreign_keys cannot be switched off: no step
-- leaves a return visit pointing at a missing rating.
CREATE TABLE feedback_ratings_0010 (
  id AUTO_ID,
  ticket_id BIGINT UNIQUE REFERENCES queue_tickets(id),
  case_id BIGINT UNIQUE REFERENCES cases(id),
  student_id BIGINT NOT NULL REFERENCES users(id),
  window_id BIGINT REFERENCES windows(id),
  staff_id BIGINT REFERENCES users(id),
  unit_id BIGINT REFERENCES units(id),
  item_id BIGINT REFERENCES catalog_items(id),
  level INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  device_id BIGINT REFERENCES devices(id),
  created_at BIGINT NOT NULL,
  appeal_status TEXT,
  appeal_reason TEXT,
  appeal_note TEXT,
  excluded INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT feedback_ratings_one_target CHECK ((ticket_id IS NULL) <> (case_id IS NULL))
);
INSERT INTO feedback_ratings_0010 (id, ticket_id, case_id, student_id, window_id, staff_id, unit_id, item_id, level,
  comment, tags, channel, device_id, created_at, appeal_status, appeal_reason, appeal_note, excluded)
SELECT id, ticket_id, NULL, student_id, window_id, staff_id, unit_id, item_id, level, comment, tags, channel,
  device_id, created_at, appeal_status, appeal_reason, appeal_note, excluded FROM feedback_ratings;
-- Return visits reference ratings: hold them aside while the old table goes.
CREATE TABLE feedback_return_visits_0010 AS SELECT id, rating_id, status, due_at, note, done_at, done_by, created_at
  FROM feedback_return_visits;
DELETE FROM feedback_return_visits;
DROP TABLE feedback_ratings;
ALTER TABLE feedback_ratings_0010 RENAME TO feedback_ratings;
INSERT INTO feedback_return_visits (id, rating_id, status, due_at, note, done_at, done_by, created_at)
SELECT id, rating_id, status, due_at, note, done_at, done_by, created_at FROM feedback_return_visits_0010;
DROP TABLE feedback_return_visits_0010;
CREATE INDEX feedback_ratings_created ON feedback_ratings(created_at);
CREATE INDEX feedback_ratings_staff ON feedback_ratings(staff_id);
