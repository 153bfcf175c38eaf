-- Working-day calendar (B6.3: the clock of every promise in working days) and
-- public announcements (B6.4 事务公开). Dates are local dates of the hall as
-- 'YYYY-MM-DD' text (they sort and compare as dates); instants are BIGINT
-- milliseconds since the epoch, UTC.

-- The years whose national schedule (国务院节假日安排) is fully known. A year not
-- listed here is answered with calendar_year_unknown, never "weekends only".
CREATE TABLE calendar_years (
  year INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT '',   -- shipped / admin / ics
  updated_at BIGINT NOT NULL
);

-- National days off and adjusted working days (调休补班: weekend days that work).
CREATE TABLE calendar_holidays (
  holiday_date TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  off_day INTEGER NOT NULL,          -- 1: a day off; 0: an adjusted working day
  source TEXT NOT NULL DEFAULT '',   -- shipped / admin / ics
  updated_at BIGINT NOT NULL
);

-- Closures of one hall (寒假, 暑假, one-off), first..last inclusive; never overlapping within a hall.
CREATE TABLE calendar_closures (
  id AUTO_ID,
  hall_id BIGINT NOT NULL REFERENCES halls(id),
  first_date TEXT NOT NULL,
  last_date TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'other',  -- winter / summer / other
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX calendar_closures_hall ON calendar_closures(hall_id, first_date);

-- A hall's opening hours when they differ from the default (calendar/defaults.hpp),
-- as the JSON document parse_opening_hours_json reads.
CREATE TABLE calendar_hours (
  hall_id BIGINT PRIMARY KEY REFERENCES halls(id),
  hours_json TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Announcements (公告, B6.4): public once published and within publish_from..publish_until.
CREATE TABLE announcements (
  id AUTO_ID,
  hall_id BIGINT REFERENCES halls(id),   -- NULL: every hall
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  format TEXT NOT NULL DEFAULT 'markdown',  -- markdown / text
  published INTEGER NOT NULL DEFAULT 0,     -- 0: draft
  publish_from BIGINT,
  publish_until BIGINT,
  pinned INTEGER NOT NULL DEFAULT 0,
  author_id BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX announcements_public ON announcements(published, publish_from);
