-- Service catalog (事项清单, B6.2–B6.4): service items of the resident units,
-- their immutable versions with materials and serving windows, and blank forms.
-- An item points at its current version; tickets, cases and notices store the
-- version id they were created under, so history never changes after the fact.

-- Blank forms and samples for download (B6.2 (2)): content kept in the database
-- (base64 text, portable across SQLite and PostgreSQL), written in the same
-- transaction as the edit that uses it and covered by database backups.
CREATE TABLE catalog_files (
  id AUTO_ID,
  unit_id BIGINT REFERENCES units(id),
  file_name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  content_b64 TEXT NOT NULL,
  uploaded_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);

CREATE TABLE catalog_items (
  id AUTO_ID,
  code TEXT NOT NULL UNIQUE,
  -- The unit of the current version (denormalised for unit scoping of edits).
  unit_id BIGINT NOT NULL REFERENCES units(id),
  current_version_id BIGINT,
  suspended INTEGER NOT NULL DEFAULT 0,
  suspended_reason TEXT NOT NULL DEFAULT '',
  suspended_reason_en TEXT NOT NULL DEFAULT '',
  suspended_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX catalog_items_unit ON catalog_items(unit_id);

-- Immutable: triggers in the dialect files refuse UPDATE and DELETE.
CREATE TABLE catalog_item_versions (
  id AUTO_ID,
  item_id BIGINT NOT NULL REFERENCES catalog_items(id),
  version_no INTEGER NOT NULL,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  -- Precomputed at save time from data/pinyin (first reading of each character).
  name_pinyin TEXT NOT NULL DEFAULT '',
  name_initials TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  handling_mode TEXT NOT NULL,
  online_url TEXT NOT NULL DEFAULT '',
  eligibility TEXT NOT NULL DEFAULT '',
  -- B6.2 (3): application periods, JSON [{"from":"YYYY-MM-DD","to":"YYYY-MM-DD","note":"…"}]; [] = any time.
  periods_json TEXT NOT NULL DEFAULT '[]',
  -- B6.3: 0 = immediate (即办), otherwise N working days.
  time_limit_days INTEGER NOT NULL DEFAULT 0,
  fee_fen BIGINT NOT NULL DEFAULT 0,
  fee_text TEXT NOT NULL DEFAULT '',
  policy_basis TEXT NOT NULL DEFAULT '',
  faq_json TEXT NOT NULL DEFAULT '[]',
  -- B6.1: where a first responder refers a student: office, handler, phone, location.
  contact_office TEXT NOT NULL DEFAULT '',
  contact_person TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  contact_location TEXT NOT NULL DEFAULT '',
  queue_prefix TEXT NOT NULL DEFAULT '',
  daily_quota INTEGER,
  change_note TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (item_id, version_no)
);
CREATE INDEX catalog_versions_item ON catalog_item_versions(item_id);

CREATE TABLE catalog_version_windows (
  version_id BIGINT NOT NULL REFERENCES catalog_item_versions(id),
  window_id BIGINT NOT NULL REFERENCES windows(id),
  PRIMARY KEY (version_id, window_id)
);
CREATE INDEX catalog_version_windows_window ON catalog_version_windows(window_id);

CREATE TABLE catalog_materials (
  id AUTO_ID,
  version_id BIGINT NOT NULL REFERENCES catalog_item_versions(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  originals INTEGER NOT NULL DEFAULT 1,
  copies INTEGER NOT NULL DEFAULT 0,
  spec TEXT NOT NULL DEFAULT '',
  required INTEGER NOT NULL DEFAULT 1,
  condition_text TEXT NOT NULL DEFAULT '',
  form_file_id BIGINT REFERENCES catalog_files(id)
);
CREATE INDEX catalog_materials_version ON catalog_materials(version_id);
