CREATE FUNCTION courtesy_attempts_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'courtesy_attempts is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER courtesy_attempts_no_change BEFORE UPDATE OR DELETE ON courtesy_attempts
  FOR EACH ROW EXECUTE FUNCTION courtesy_attempts_append_only();
CREATE FUNCTION documents_fixed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'an issued document is never deleted; revoke it instead';
  END IF;
  IF NEW.type IS DISTINCT FROM OLD.type OR NEW.number IS DISTINCT FROM OLD.number
     OR NEW.verify_code IS DISTINCT FROM OLD.verify_code OR NEW.student_id IS DISTINCT FROM OLD.student_id
     OR NEW.issued_by IS DISTINCT FROM OLD.issued_by OR NEW.issuer_name IS DISTINCT FROM OLD.issuer_name
     OR NEW.issuer_unit IS DISTINCT FROM OLD.issuer_unit OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
     OR NEW.content IS DISTINCT FROM OLD.content OR NEW.replaces IS DISTINCT FROM OLD.replaces THEN
    RAISE EXCEPTION 'an issued document never changes; correct it instead';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER documents_fixed BEFORE UPDATE OR DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION documents_fixed();
