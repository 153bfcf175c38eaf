-- B6.3 time-limit warnings that reach the handler (and, at the due instant,
-- the responsible teacher) without anyone reading a list: the sweeper
-- (src/cases/warnings.cpp) records each threshold a case crosses — 50%
-- (half), 80% (eighty), the due instant (due) — exactly once per case and
-- level. The UNIQUE key is the guarantee: every server process sweeps, and an
-- INSERT … ON CONFLICT DO NOTHING that loses the race writes nothing and so
-- publishes nothing. A level once recorded is never recorded again, even when
-- the due instant later moves (see warnings.cpp for why).
CREATE TABLE case_warnings (
  id AUTO_ID,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  level TEXT NOT NULL,                       -- '50' / '80' / 'due' (cases::to_string(Warning))
  handler_id BIGINT REFERENCES users(id),    -- the case's handler when recorded (first responder if none)
  due_at BIGINT NOT NULL,                    -- the due instant when recorded
  fraction_permille INTEGER NOT NULL,        -- working time used, in thousandths, when recorded
  created_at BIGINT NOT NULL,
  CONSTRAINT case_warnings_once UNIQUE (case_id, level)
);
CREATE INDEX case_warnings_handler ON case_warnings(handler_id, created_at);
CREATE INDEX case_warnings_level ON case_warnings(level, created_at);

-- Read marks are per person: the handler and every teacher read a `due`
-- warning separately.
CREATE TABLE case_warning_reads (
  warning_id BIGINT NOT NULL REFERENCES case_warnings(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  read_at BIGINT NOT NULL,
  PRIMARY KEY (warning_id, user_id)
);
