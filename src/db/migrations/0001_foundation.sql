-- Foundation: organisation (halls, resident units, colleges, windows),
-- people (users with student or staff profiles), sessions, devices, audit log.
-- Instants are BIGINT milliseconds since the epoch, UTC; flags are INTEGER 0/1.

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE halls (
  id AUTO_ID,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);

-- Resident units (入驻单位): the offices that staff windows in the hall (D3).
CREATE TABLE units (
  id AUTO_ID,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  name_en TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);

-- Secondary colleges (二级学院, C1, D7).
CREATE TABLE colleges (
  id AUTO_ID,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  name_en TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);

CREATE TABLE windows (
  id AUTO_ID,
  hall_id BIGINT NOT NULL REFERENCES halls(id),
  number INTEGER NOT NULL,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  unit_id BIGINT REFERENCES units(id),
  -- C2: window 10 is the complaints window in the regulations.
  is_complaints INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  UNIQUE (hall_id, number)
);

CREATE TABLE users (
  id AUTO_ID,
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  is_demo INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  password_changed_at BIGINT NOT NULL
);
CREATE INDEX users_role ON users(role);
CREATE INDEX users_name ON users(name);

CREATE TABLE students (
  user_id BIGINT PRIMARY KEY REFERENCES users(id),
  student_no TEXT NOT NULL UNIQUE,
  college_id BIGINT REFERENCES colleges(id),
  major TEXT NOT NULL DEFAULT '',
  class_name TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  card_no TEXT UNIQUE
);

-- Staff, responsible teachers, unit heads and administrators (A2: badge number).
CREATE TABLE staff (
  user_id BIGINT PRIMARY KEY REFERENCES users(id),
  staff_no TEXT NOT NULL UNIQUE,
  unit_id BIGINT REFERENCES units(id),
  badge_no TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sessions (
  id AUTO_ID,
  token_digest TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  address TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Kiosks, display boards, rating pads and check-in terminals: each with its own token and narrow scope.
CREATE TABLE devices (
  id AUTO_ID,
  hall_id BIGINT NOT NULL REFERENCES halls(id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  window_id BIGINT REFERENCES windows(id),
  token_digest TEXT NOT NULL UNIQUE,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT
);

-- Append-only record of every write (triggers in the dialect files refuse UPDATE and DELETE).
CREATE TABLE audit_log (
  id AUTO_ID,
  at BIGINT NOT NULL,
  actor_id BIGINT,
  actor_login TEXT NOT NULL DEFAULT '',
  actor_role TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  target_type TEXT NOT NULL DEFAULT '',
  target_id TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_actor ON audit_log(actor_id);
CREATE INDEX audit_action ON audit_log(action);
