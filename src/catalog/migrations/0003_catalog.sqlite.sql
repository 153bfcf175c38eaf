-- Catalog versions, their windows and materials never change once written.
CREATE TRIGGER catalog_versions_no_update BEFORE UPDATE ON catalog_item_versions
BEGIN
  SELECT RAISE(ABORT, 'catalog_item_versions are immutable');
END;
CREATE TRIGGER catalog_versions_no_delete BEFORE DELETE ON catalog_item_versions
BEGIN
  SELECT RAISE(ABORT, 'catalog_item_versions are immutable');
END;
CREATE TRIGGER catalog_version_windows_no_update BEFORE UPDATE ON catalog_version_windows
BEGIN
  SELECT RAISE(ABORT, 'catalog_version_windows are immutable');
END;
CREATE TRIGGER catalog_version_windows_no_delete BEFORE DELETE ON catalog_version_windows
BEGIN
  SELECT RAISE(ABORT, 'catalog_version_windows are immutable');
END;
CREATE TRIGGER catalog_materials_no_update BEFORE UPDATE ON catalog_materials
BEGIN
  SELECT RAISE(ABORT, 'catalog_materials are immutable');
END;
CREATE TRIGGER catalog_materials_no_delete BEFORE DELETE ON catalog_materials
BEGIN
  SELECT RAISE(ABORT, 'catalog_materials are immutable');
END;
CREATE TRIGGER catalog_files_no_update BEFORE UPDATE ON catalog_files
BEGIN
  SELECT RAISE(ABORT, 'catalog_files are immutable');
END;
