-- Courtesy check (B1, B6.1) and accurate documents (B5).

-- Forbidden phrasings kept by administrators (courtesy.manage); the pattern
-- syntax is described in src/courtesy/model.hpp. Each carries the courteous
-- wording suggested instead.
CREATE TABLE courtesy_phrases (
  id AUTO_ID,
  label TEXT NOT NULL,
  pattern TEXT NOT NULL UNIQUE,
  suggestion TEXT NOT NULL,
  clause TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT REFERENCES users(id),
  updated_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Every blocked attempt (append-only; triggers in the dialect files): who, when,
-- which screen, the text and what matched. Read by the responsible teacher (courtesy.review).
CREATE TABLE courtesy_attempts (
  id AUTO_ID,
  at BIGINT NOT NULL,
  user_id BIGINT REFERENCES users(id),
  login TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  -- check: a screen's send attempt refused by POST /courtesy/check; enforce: a save refused by the server
  source TEXT NOT NULL,
  context TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  matches TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX courtesy_attempts_at ON courtesy_attempts(at);
CREATE INDEX courtesy_attempts_user ON courtesy_attempts(user_id);

-- Documents the hall issues (B5: accuracy 100%), filled from the records by
-- templates (src/documents/templates.cpp), never typed by hand. content is the
-- JSON snapshot of every field used; it, the number, the code, the subject and
-- the issue time never change (triggers). A correction revokes the document
-- (status, reason, replaced_by) and issues a new one that `replaces` it.
CREATE TABLE documents (
  id AUTO_ID,
  type TEXT NOT NULL,
  number TEXT NOT NULL UNIQUE,
  verify_code TEXT NOT NULL UNIQUE,
  student_id BIGINT NOT NULL REFERENCES users(id),
  issued_by BIGINT REFERENCES users(id),
  issuer_name TEXT NOT NULL,
  issuer_unit TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  content TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'valid',
  revoked_at BIGINT,
  revoked_by BIGINT REFERENCES users(id),
  revoked_reason TEXT NOT NULL DEFAULT '',
  replaced_by BIGINT REFERENCES documents(id),
  replaces BIGINT REFERENCES documents(id),
  -- what the document belongs to in another capability, e.g. ('case', 17)
  ref_type TEXT NOT NULL DEFAULT '',
  ref_id BIGINT,
  is_demo INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX documents_student ON documents(student_id);
CREATE INDEX documents_issued_at ON documents(issued_at);
CREATE INDEX documents_type ON documents(type, issued_at);
CREATE INDEX documents_ref ON documents(ref_type, ref_id);

-- Document numbers HUT-ZM-2026-000123: one counter per type code and year.
CREATE TABLE document_sequences (
  prefix TEXT NOT NULL,
  year INTEGER NOT NULL,
  last_value BIGINT NOT NULL,
  PRIMARY KEY (prefix, year)
);

-- The phrasings of B1 and B6.1 are filled in once by the courtesy service on
-- start (src/courtesy/phrases.cpp), never again: an administrator's edits and
-- deletions are never overwritten.
