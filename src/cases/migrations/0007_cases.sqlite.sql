-- B6.1: the first responder never changes once recorded; notices are never edited.
CREATE TRIGGER cases_first_responder_immutable BEFORE UPDATE OF first_responder_id ON cases
WHEN OLD.first_responder_id IS NOT NULL AND (NEW.first_responder_id IS NULL OR NEW.first_responder_id <> OLD.first_responder_id)
BEGIN
  SELECT RAISE(ABORT, 'cases.first_responder_id is immutable');
END;
CREATE TRIGGER case_notices_no_delete BEFORE DELETE ON case_notices
BEGIN
  SELECT RAISE(ABORT, 'case_notices are immutable');
END;
CREATE TRIGGER case_notice_materials_no_update BEFORE UPDATE ON case_notice_materials
BEGIN
  SELECT RAISE(ABORT, 'case_notice_materials are immutable');
END;
CREATE TRIGGER case_notice_materials_no_delete BEFORE DELETE ON case_notice_materials
BEGIN
  SELECT RAISE(ABORT, 'case_notice_materials are immutable');
END;
