// All SQL of the documents capability (issue #12 §3): the registry of issued
// documents (B5, B6.5) and its numbering. Reads of other modules' tables are
// marked with their owner.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "documents/service.hpp"

namespace hall::documents::store {

std::optional<Document> find(soci::session& s, std::int64_t id);
std::optional<Document> find_by_code(soci::session& s, const std::string& verify_code);

struct Page {
  std::vector<Document> items;
  long long total = 0;
};
Page list(soci::session& s, const ListQuery& q);

// The next number of a prefix in a year (document_sequences).
long long next_sequence(soci::session& s, const std::string& prefix, int year);

struct NewDocument {
  std::string type, number, code;
  std::int64_t student_id = 0;
  std::optional<long long> issued_by, replaces, ref_id;
  std::string issuer_name, issuer_unit, content, ref_type;
  Millis issued_at = 0;
  bool demo = false;
};
std::int64_t insert(soci::session& s, const NewDocument& d);
// Revokes a valid document in favour of its replacement; false when it was no longer valid.
bool revoke(soci::session& s, std::int64_t id, std::int64_t replaced_by, std::optional<long long> by,
            const std::string& reason, Millis at);

struct TypeCount {
  std::string type;
  long long issued = 0, corrected = 0;
};
std::vector<TypeCount> counts_by_type(soci::session& s, Millis from, Millis to);
struct Correction {
  std::string number, new_number, reason, type;
  std::optional<std::string> by;
  Millis at = 0;
};
// The latest 100 corrections of documents issued in [from, to).
std::vector<Correction> corrections(soci::session& s, Millis from, Millis to);

// --- other modules' tables, read where a document is put together ---------------------
// org's halls: the first hall's name (a document names the hall).
std::optional<std::string> first_hall_name(soci::session& s);
// people's staff and org's units: the unit a staff member belongs to.
std::optional<std::string> staff_unit_name(soci::session& s, std::int64_t user_id);
std::optional<std::int64_t> staff_unit_id(soci::session& s, std::int64_t user_id);
// people's users/students/colleges: the student a document is about.
std::optional<std::int64_t> student_id_by_no(soci::session& s, const std::string& student_no);
struct StudentRow {
  std::int64_t id = 0;
  std::string name, student_no, college, major, class_name;
  bool disabled = false;
};
std::optional<StudentRow> student(soci::session& s, std::int64_t user_id);
// catalog's items: the published version of an active item by its name (B6.4).
struct CatalogItemRow {
  long long version_id = 0;
  std::string name, fee_text, location, phone;
  long long fee_fen = 0;
  int days = 0;
};
std::optional<CatalogItemRow> active_item_by_name(soci::session& s, const std::string& name);

}  // namespace hall::documents::store
