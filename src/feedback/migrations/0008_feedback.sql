-- Complaints, suggestions and praise (C1–C3) and the WeChat official-account
-- channel. Instants are BIGINT milliseconds since the epoch (UTC); flags INTEGER 0/1.

-- One row per complaint / suggestion / praise. The complainant's identity
-- (student_id, contact_name, contact_phone, wechat_openid) is only ever read by
-- the identity endpoint (complaint handlers and the teacher, audited).
CREATE TABLE feedback_items (
  id AUTO_ID,
  tracking_no TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,                -- complaint / suggestion / praise
  category TEXT NOT NULL,            -- C1: teaching / logistics / hall / departments / other
  channel TEXT NOT NULL,             -- C2: window / phone / wechat / web
  status TEXT NOT NULL,              -- received / assigned / investigating / answered / closed
  content TEXT NOT NULL,
  student_id BIGINT REFERENCES users(id),
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  wechat_openid TEXT,
  target_unit_id BIGINT REFERENCES units(id),
  target_college_id BIGINT REFERENCES colleges(id),
  target_window_id BIGINT REFERENCES windows(id),
  target_staff_id BIGINT REFERENCES users(id),
  handler_id BIGINT REFERENCES users(id),
  entered_by BIGINT REFERENCES users(id),
  escalated INTEGER NOT NULL DEFAULT 0,   -- disputed once: with the responsible teacher
  disputed INTEGER NOT NULL DEFAULT 0,
  dispute_reason TEXT,
  upheld INTEGER,                          -- complaint found justified (feeds the staff member's assessment)
  findings TEXT,
  handling TEXT,
  outcome TEXT,                            -- accepted / (closed by handler) …
  created_at BIGINT NOT NULL,
  acknowledged_at BIGINT,
  answered_at BIGINT,
  closed_at BIGINT,
  ack_due_at BIGINT NOT NULL,
  feedback_due_at BIGINT NOT NULL
);
CREATE INDEX feedback_items_status ON feedback_items(status, feedback_due_at);
CREATE INDEX feedback_items_student ON feedback_items(student_id);
CREATE INDEX feedback_items_staff ON feedback_items(target_staff_id);

-- The item's history as the student sees it (no identities of handlers' notes).
CREATE TABLE feedback_events (
  id AUTO_ID,
  item_id BIGINT NOT NULL REFERENCES feedback_items(id),
  at BIGINT NOT NULL,
  actor_id BIGINT REFERENCES users(id),
  action TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX feedback_events_item ON feedback_events(item_id);

-- Images and PDFs attached to an item (checked by magic bytes and size).
CREATE TABLE feedback_attachments (
  id AUTO_ID,
  item_id BIGINT NOT NULL REFERENCES feedback_items(id),
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  data_b64 TEXT NOT NULL,                  -- Base64 (one portable path: SOCI 4.0 has no SQLite blobs)
  created_at BIGINT NOT NULL
);
CREATE INDEX feedback_attachments_item ON feedback_attachments(item_id);

-- WeChat: nonces of accepted messages (replays refused while the timestamp window lasts).
CREATE TABLE wechat_nonces (
  nonce TEXT PRIMARY KEY,
  seen_at BIGINT NOT NULL
);
-- An OpenID bound to a student (by a one-time code from the portal sent as “绑定 <code>”).
CREATE TABLE wechat_bindings (
  openid TEXT PRIMARY KEY,
  student_id BIGINT NOT NULL REFERENCES users(id),
  bound_at BIGINT NOT NULL
);
CREATE TABLE wechat_bind_codes (
  code TEXT PRIMARY KEY,
  student_id BIGINT NOT NULL REFERENCES users(id),
  expires_at BIGINT NOT NULL
);

-- Ratings (好差评, B5): once per finished ticket, at the window's rating pad or in
-- the portal within 7 days. level 1 = 非常满意 … 5 = 非常不满意; satisfaction = levels 1–3.
CREATE TABLE feedback_ratings (
  id AUTO_ID,
  ticket_id BIGINT NOT NULL UNIQUE REFERENCES queue_tickets(id),
  student_id BIGINT NOT NULL REFERENCES users(id),
  window_id BIGINT REFERENCES windows(id),
  staff_id BIGINT REFERENCES users(id),
  unit_id BIGINT REFERENCES units(id),
  item_id BIGINT REFERENCES catalog_items(id),
  level INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',             -- comma-separated: efficiency, attitude, guidance, convenience
  channel TEXT NOT NULL,                     -- pad / portal
  device_id BIGINT REFERENCES devices(id),
  created_at BIGINT NOT NULL,
  -- A staff member's appeal of a rating and the teacher's decision (audited).
  appeal_status TEXT,                        -- pending / upheld / rejected
  appeal_reason TEXT,
  appeal_note TEXT,
  excluded INTEGER NOT NULL DEFAULT 0        -- an upheld appeal takes the rating out of the rate
);
CREATE INDEX feedback_ratings_created ON feedback_ratings(created_at);
CREATE INDEX feedback_ratings_staff ON feedback_ratings(staff_id);

-- A 不满意 / 非常不满意 rating opens a return visit (回访) for the teacher.
CREATE TABLE feedback_return_visits (
  id AUTO_ID,
  rating_id BIGINT NOT NULL UNIQUE REFERENCES feedback_ratings(id),
  status TEXT NOT NULL,                      -- open / done
  due_at BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  done_at BIGINT,
  done_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
