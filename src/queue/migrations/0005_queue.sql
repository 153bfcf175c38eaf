-- The queue (A5, A6, B6.5): tickets with every state change timestamped, the
-- daily number sequences, idempotency keys of take-a-number requests, window
-- sessions, the call log shown on boards (calls and recalls), ticket history,
-- green-channel marks, appointments with their slot configuration.
-- Instants are BIGINT milliseconds since the epoch (UTC); service_date is the
-- hall's local date 'YYYY-MM-DD'; flags are INTEGER 0/1.

-- One row per hall, day and queue group: the last number issued. Incremented
-- with INSERT … ON CONFLICT DO UPDATE … RETURNING inside the take transaction,
-- so a number is never issued twice in a day (the row lock serializes takers).
CREATE TABLE queue_sequences (
  hall_id BIGINT NOT NULL REFERENCES halls(id),
  service_date TEXT NOT NULL,
  queue_group TEXT NOT NULL,
  last_seq BIGINT NOT NULL,
  PRIMARY KEY (hall_id, service_date, queue_group)
);

CREATE TABLE queue_tickets (
  id AUTO_ID,
  hall_id BIGINT NOT NULL REFERENCES halls(id),
  service_date TEXT NOT NULL,
  number TEXT NOT NULL,
  seq BIGINT NOT NULL,
  -- The group the ticket queues in now (an item transfer moves it); the number keeps its first prefix.
  queue_group TEXT NOT NULL,
  item_id BIGINT NOT NULL REFERENCES catalog_items(id),
  item_version_id BIGINT NOT NULL REFERENCES catalog_item_versions(id),
  student_id BIGINT NOT NULL REFERENCES users(id),
  channel TEXT NOT NULL,                  -- kiosk / mobile / window
  status TEXT NOT NULL,                   -- waiting / called / serving / done / no_show / cancelled
  status_token TEXT NOT NULL UNIQUE,      -- unguessable: the public status page's link
  -- Call order (queue/model.hpp): priority 1 = green channel lane (B6.5), sort_key = take time
  -- (kept on transfer) or the rejoin position, slot_start for checked-in appointments.
  priority INTEGER NOT NULL DEFAULT 0,
  green INTEGER NOT NULL DEFAULT 0,
  green_reason_code TEXT,
  green_reason_text TEXT,
  sort_key BIGINT NOT NULL,
  slot_start BIGINT,
  appointment_id BIGINT,
  rejoined INTEGER NOT NULL DEFAULT 0,
  recalls INTEGER NOT NULL DEFAULT 0,
  -- The window the ticket is with (called / serving) or was last with; a transfer to a window targets it.
  window_id BIGINT REFERENCES windows(id),
  session_id BIGINT,
  target_window_id BIGINT REFERENCES windows(id),
  outcome TEXT,
  outcome_note TEXT,
  taken_at BIGINT NOT NULL,
  called_at BIGINT,
  started_at BIGINT,
  finished_at BIGINT,
  no_show_at BIGINT,
  transferred_at BIGINT,
  cancelled_at BIGINT,
  taken_by_user BIGINT REFERENCES users(id),
  taken_by_device BIGINT REFERENCES devices(id),
  is_demo INTEGER NOT NULL DEFAULT 0,
  UNIQUE (hall_id, service_date, number)
);
-- Call-next reads this in call order and checks which window may call each ticket from the
-- index alone (item_id, target_window_id), so tickets of other windows' items cost no row reads.
CREATE INDEX queue_tickets_lane ON queue_tickets(status, hall_id, service_date, priority, sort_key, item_id, target_window_id);
CREATE INDEX queue_tickets_slot ON queue_tickets(status, hall_id, service_date, slot_start);
CREATE INDEX queue_tickets_group ON queue_tickets(hall_id, service_date, queue_group, status);
-- People ahead in a group, counted from the index alone (every column the order needs).
CREATE INDEX queue_tickets_group_lane ON queue_tickets(status, hall_id, service_date, queue_group, priority, sort_key, rejoined, slot_start);
CREATE INDEX queue_tickets_student ON queue_tickets(student_id, service_date);
CREATE INDEX queue_tickets_item_day ON queue_tickets(item_id, service_date, status);
CREATE INDEX queue_tickets_window ON queue_tickets(window_id, status);
CREATE INDEX queue_tickets_finished ON queue_tickets(queue_group, finished_at);

-- A repeated take request with the same key from the same caller returns the same ticket.
CREATE TABLE queue_idempotency (
  caller TEXT NOT NULL,      -- "user:<id>" / "device:<id>"
  idem_key TEXT NOT NULL,
  ticket_id BIGINT NOT NULL REFERENCES queue_tickets(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (caller, idem_key)
);

-- A staff member signed in at a window. At most one open session per window and per person.
CREATE TABLE queue_window_sessions (
  id AUTO_ID,
  window_id BIGINT NOT NULL REFERENCES windows(id),
  staff_id BIGINT NOT NULL REFERENCES users(id),
  opened_at BIGINT NOT NULL,
  closed_at BIGINT,
  paused INTEGER NOT NULL DEFAULT 0,
  pause_reason TEXT NOT NULL DEFAULT '',
  paused_at BIGINT
);
CREATE UNIQUE INDEX queue_sessions_open_window ON queue_window_sessions(window_id) WHERE closed_at IS NULL;
CREATE UNIQUE INDEX queue_sessions_open_staff ON queue_window_sessions(staff_id) WHERE closed_at IS NULL;

-- Every call and recall, as the board shows them.
CREATE TABLE queue_calls (
  id AUTO_ID,
  hall_id BIGINT NOT NULL REFERENCES halls(id),
  service_date TEXT NOT NULL,
  ticket_id BIGINT NOT NULL REFERENCES queue_tickets(id),
  ticket_number TEXT NOT NULL,
  window_id BIGINT NOT NULL REFERENCES windows(id),
  window_number INTEGER NOT NULL,
  called_at BIGINT NOT NULL,
  recall INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX queue_calls_hall ON queue_calls(hall_id, service_date, id);

-- The history of each ticket and window: taken, called, recalled, started, finished,
-- no_show, rejoined, transferred, cancelled, green; session opened, paused, resumed, closed.
CREATE TABLE queue_events (
  id AUTO_ID,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  ticket_id BIGINT REFERENCES queue_tickets(id),
  window_id BIGINT REFERENCES windows(id),
  session_id BIGINT,
  actor_id BIGINT,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX queue_events_ticket ON queue_events(ticket_id);

-- B6.5: the configured reasons for the green channel.
CREATE TABLE queue_green_reasons (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO queue_green_reasons (code, name, name_en, position) VALUES ('disability', '残障人士', 'Disability', 1);
INSERT INTO queue_green_reasons (code, name, name_en, position) VALUES ('illness', '伤病', 'Illness or injury', 2);
INSERT INTO queue_green_reasons (code, name, name_en, position) VALUES ('pregnancy', '孕期', 'Pregnancy', 3);
INSERT INTO queue_green_reasons (code, name, name_en, position) VALUES ('urgent_deadline', '紧急时限', 'Urgent deadline', 4);
INSERT INTO queue_green_reasons (code, name, name_en, position) VALUES ('elderly_family', '年长家属代办', 'Elderly family member', 5);
INSERT INTO queue_green_reasons (code, name, name_en, position) VALUES ('other', '其他', 'Other', 99);

-- B6.5: each green-channel jump, counted in statistics.
CREATE TABLE queue_green_marks (
  id AUTO_ID,
  ticket_id BIGINT NOT NULL REFERENCES queue_tickets(id),
  hall_id BIGINT NOT NULL REFERENCES halls(id),
  service_date TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  reason_text TEXT NOT NULL DEFAULT '',
  marked_by BIGINT NOT NULL REFERENCES users(id),
  marked_at BIGINT NOT NULL
);
CREATE INDEX queue_green_marks_day ON queue_green_marks(hall_id, service_date);

-- Appointment slots of an item (预约): length and capacity (defaults 30 min, 4).
CREATE TABLE queue_slot_config (
  item_id BIGINT PRIMARY KEY REFERENCES catalog_items(id),
  slot_minutes INTEGER NOT NULL DEFAULT 30,
  capacity INTEGER NOT NULL DEFAULT 4,
  enabled INTEGER NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL
);

-- Booked places per slot, incremented with an upsert so two bookings never overfill a slot.
CREATE TABLE queue_slot_counts (
  item_id BIGINT NOT NULL REFERENCES catalog_items(id),
  slot_start BIGINT NOT NULL,
  booked INTEGER NOT NULL,
  PRIMARY KEY (item_id, slot_start)
);

CREATE TABLE queue_appointments (
  id AUTO_ID,
  hall_id BIGINT NOT NULL REFERENCES halls(id),
  item_id BIGINT NOT NULL REFERENCES catalog_items(id),
  item_version_id BIGINT NOT NULL REFERENCES catalog_item_versions(id),
  student_id BIGINT NOT NULL REFERENCES users(id),
  slot_start BIGINT NOT NULL,
  slot_end BIGINT NOT NULL,
  status TEXT NOT NULL,           -- booked / checked_in / no_show / cancelled
  ticket_id BIGINT REFERENCES queue_tickets(id),
  created_at BIGINT NOT NULL,
  checked_in_at BIGINT,
  cancelled_at BIGINT,
  no_show_at BIGINT
);
CREATE INDEX queue_appointments_student ON queue_appointments(student_id, slot_start);
CREATE INDEX queue_appointments_status ON queue_appointments(status, slot_end);
CREATE INDEX queue_appointments_slot ON queue_appointments(item_id, slot_start);
