-- Issue #10: the hall must not stop while next year's holiday schedule is not
-- published. A due instant computed over a year without official data
-- (calendar/statutory.hpp: weekends and statutory holidays only) is
-- provisional: staff see it marked, and when the year's schedule is imported
-- the open cases' provisional due instants are recomputed
-- (cases/due_recompute.cpp), each change a 'due_recomputed' timeline event.
ALTER TABLE cases ADD COLUMN due_provisional INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_due_provisional ON cases(due_provisional, status);
CREATE INDEX case_events_kind ON case_events(kind, at);
