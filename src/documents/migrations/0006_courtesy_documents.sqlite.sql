CREATE TRIGGER courtesy_attempts_no_update BEFORE UPDATE ON courtesy_attempts
BEGIN
  SELECT RAISE(ABORT, 'courtesy_attempts is append-only');
END;
CREATE TRIGGER courtesy_attempts_no_delete BEFORE DELETE ON courtesy_attempts
BEGIN
  SELECT RAISE(ABORT, 'courtesy_attempts is append-only');
END;
CREATE TRIGGER documents_fixed BEFORE UPDATE OF type, number, verify_code, student_id, issued_by, issuer_name, issuer_unit, issued_at, content, replaces ON documents
BEGIN
  SELECT RAISE(ABORT, 'an issued document never changes; correct it instead');
END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN
  SELECT RAISE(ABORT, 'an issued document is never deleted; revoke it instead');
END;
