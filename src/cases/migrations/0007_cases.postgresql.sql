-- B6.1: the first responder never changes once recorded; notices are never edited.
CREATE FUNCTION cases_first_responder_immutable() RETURNS trigger AS $$
BEGIN
  IF OLD.first_responder_id IS NOT NULL AND NEW.first_responder_id IS DISTINCT FROM OLD.first_responder_id THEN
    RAISE EXCEPTION 'cases.first_responder_id is immutable';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_first_responder_immutable BEFORE UPDATE ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_first_responder_immutable();
CREATE FUNCTION case_notices_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is immutable', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER case_notices_no_delete BEFORE DELETE ON case_notices
  FOR EACH ROW EXECUTE FUNCTION case_notices_immutable();
CREATE TRIGGER case_notice_materials_immutable BEFORE UPDATE OR DELETE ON case_notice_materials
  FOR EACH ROW EXECUTE FUNCTION case_notices_immutable();
