CREATE FUNCTION catalog_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is immutable', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER catalog_versions_immutable BEFORE UPDATE OR DELETE ON catalog_item_versions
  FOR EACH ROW EXECUTE FUNCTION catalog_immutable();
CREATE TRIGGER catalog_version_windows_immutable BEFORE UPDATE OR DELETE ON catalog_version_windows
  FOR EACH ROW EXECUTE FUNCTION catalog_immutable();
CREATE TRIGGER catalog_materials_immutable BEFORE UPDATE OR DELETE ON catalog_materials
  FOR EACH ROW EXECUTE FUNCTION catalog_immutable();
CREATE TRIGGER catalog_files_immutable BEFORE UPDATE ON catalog_files
  FOR EACH ROW EXECUTE FUNCTION catalog_immutable();
