-- Cases (办件, B6.1–B6.3, B6.5): one matter a student brings, from a ticket, a
-- phone call, an online application or a walk-in; its first responder
-- (首问责任人, immutable once set: triggers in the dialect files), the
-- materials checklist and the one-time notices (一次性告知书) issued from it,
-- referrals to the responsible office, follow-ups when the student could not
-- reach that office, clock pauses while waiting for materials, and the timeline.
-- Instants are BIGINT milliseconds since the epoch (UTC); flags are INTEGER 0/1.

CREATE TABLE cases (
  id AUTO_ID,
  case_no TEXT NOT NULL UNIQUE,
  hall_id BIGINT NOT NULL REFERENCES halls(id),
  channel TEXT NOT NULL,                      -- ticket / phone / online / walk_in
  ticket_id BIGINT UNIQUE REFERENCES queue_tickets(id),
  student_id BIGINT REFERENCES users(id),     -- NULL: a caller not (yet) known as a student
  caller_name TEXT NOT NULL DEFAULT '',
  caller_phone TEXT NOT NULL DEFAULT '',
  caller_student_no TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL,
  item_id BIGINT REFERENCES catalog_items(id),
  item_version_id BIGINT REFERENCES catalog_item_versions(id),
  status TEXT NOT NULL,                       -- received / waiting_materials / processing / referred / completed / refused
  resume_status TEXT,                         -- where waiting_materials returns to when the materials arrive
  -- B6.1: the staff member who first received the case; never changes once set.
  first_responder_id BIGINT REFERENCES users(id),
  handler_id BIGINT REFERENCES users(id),
  -- B6.5 green channel.
  green INTEGER NOT NULL DEFAULT 0,
  green_reason TEXT NOT NULL DEFAULT '',
  green_by BIGINT REFERENCES users(id),
  green_at BIGINT,
  -- B6.3 time limit: the item's promise at acceptance, the due instant (moved by pauses), the running pause.
  time_limit_days INTEGER,
  accepted_at BIGINT,
  due_at BIGINT,
  original_due_at BIGINT,
  paused_at BIGINT,
  paused_seconds BIGINT NOT NULL DEFAULT 0,   -- working seconds of finished pauses
  completed_at BIGINT,
  result_note TEXT NOT NULL DEFAULT '',
  overdue_reason TEXT NOT NULL DEFAULT '',
  -- B6.2: a later notice asked for what the first should have (counted in statistics).
  one_time_breach INTEGER NOT NULL DEFAULT 0,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  is_demo INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cases_status ON cases(status, green, due_at);
CREATE INDEX cases_student ON cases(student_id, created_at);
CREATE INDEX cases_first_responder ON cases(first_responder_id);
CREATE INDEX cases_handler ON cases(handler_id, status);
CREATE INDEX cases_created ON cases(created_at);

-- B6.2: the materials checklist of the case (the materials of its item version), one mark each.
CREATE TABLE case_materials (
  case_id BIGINT NOT NULL REFERENCES cases(id),
  material_id BIGINT NOT NULL REFERENCES catalog_materials(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  required INTEGER NOT NULL DEFAULT 1,
  condition_text TEXT NOT NULL DEFAULT '',
  mark TEXT,                                  -- NULL (unmarked) / provided / missing / defective / not_applicable
  correction TEXT NOT NULL DEFAULT '',        -- defective: what must be corrected
  marked_by BIGINT REFERENCES users(id),
  marked_at BIGINT,
  changed_at BIGINT,                          -- the student brought it again (resubmission)
  PRIMARY KEY (case_id, material_id)
);

-- B6.2: the one-time notices (一次性告知书) with their six parts, as issued (never edited).
CREATE TABLE case_notices (
  id AUTO_ID,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  seq INTEGER NOT NULL,
  notice_no TEXT NOT NULL UNIQUE,
  issued_at BIGINT NOT NULL,
  staff_id BIGINT NOT NULL REFERENCES users(id),
  staff_name TEXT NOT NULL,
  item_name TEXT NOT NULL DEFAULT '',
  outside_remit INTEGER NOT NULL DEFAULT 0,   -- (1)
  application_limit TEXT NOT NULL DEFAULT '', -- (3)
  refusal_reason TEXT NOT NULL DEFAULT '',    -- (6)
  remarks TEXT NOT NULL DEFAULT '',
  breach INTEGER NOT NULL DEFAULT 0,
  breach_detail TEXT NOT NULL DEFAULT '',
  document_id BIGINT,
  UNIQUE (case_id, seq)
);
CREATE INDEX case_notices_staff ON case_notices(staff_id, issued_at);

-- (2), (4), (5): every material of the notice with its mark.
CREATE TABLE case_notice_materials (
  notice_id BIGINT NOT NULL REFERENCES case_notices(id),
  material_id BIGINT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  required INTEGER NOT NULL DEFAULT 1,
  mark TEXT NOT NULL,
  correction TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (notice_id, material_id)
);

-- B6.1: where the student was sent (office and the specific handler).
CREATE TABLE case_referrals (
  id AUTO_ID,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  office TEXT NOT NULL,
  handler TEXT NOT NULL,
  handler_user_id BIGINT REFERENCES users(id),
  phone TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,                       -- catalog / staff / other
  document_id BIGINT,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX case_referrals_case ON case_referrals(case_id);

-- B6.1: the student could not reach the office; the first responder follows up within one working day.
CREATE TABLE case_followups (
  id AUTO_ID,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  assignee_id BIGINT NOT NULL REFERENCES users(id),
  reported_at BIGINT NOT NULL,
  reported_via TEXT NOT NULL,                 -- window / phone / portal
  student_note TEXT NOT NULL DEFAULT '',
  due_at BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',        -- open / done
  agreed TEXT NOT NULL DEFAULT '',
  reply TEXT NOT NULL DEFAULT '',
  replied_at BIGINT,
  replied_by BIGINT REFERENCES users(id),
  created_by BIGINT REFERENCES users(id)
);
CREATE INDEX case_followups_assignee ON case_followups(assignee_id, status, due_at);
CREATE INDEX case_followups_case ON case_followups(case_id);

-- B6.3: each stop of the clock while waiting for the student's materials.
CREATE TABLE case_pauses (
  id AUTO_ID,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  working_seconds BIGINT
);
CREATE INDEX case_pauses_case ON case_pauses(case_id);

-- The timeline; public = shown to the student in the portal.
CREATE TABLE case_events (
  id AUTO_ID,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  actor_id BIGINT,
  actor_name TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}',
  public INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX case_events_case ON case_events(case_id, id);
