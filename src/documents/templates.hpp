// Document types and their templates (B5). A type is two functions:
//
//   fill:   records → snapshot (JSON). Reads the subject and whatever else it
//           needs from the database inside the issuing transaction, plus the few
//           fields the issuing screen may give (declared in client_fields, e.g.
//           the purpose of an enrollment certificate). Never takes a name, 学号
//           or date from the client.
//   layout: snapshot → Layout (model.hpp): title and blocks. Pure, so it is
//           tested without a database and a reprint is always the same document.
//
// Adding a type (e.g. the one-time notice of the cases capability, B6.2):
//
//   documents::register_type({
//       .type = "one_time_notice",
//       .name = {"一次性告知书", "One-time notice"},
//       .number_code = "GZ",                       // → HUT-GZ-2026-000001
//       .fill = nullptr,                           // issued by cases, not by POST /documents
//       .layout = [](const json::object& c) {
//         Layout l{"一次性告知书", {}};
//         l.blocks.push_back(blocks::paragraph(esc(field(c, "student_name")) + " 同学：…"));
//         l.blocks.push_back(blocks::list({…six parts…}));
//         l.blocks.push_back(blocks::signature(field(c, "issuer_unit"), chinese_date(field(c, "issued_on"))));
//         return l;
//       }});
//
// then, inside the case's write transaction, with a snapshot the case builds:
//
//   Document d = deps.documents->issue_in(tx, caller, {.type = "one_time_notice", .student_id = sid,
//                                                      .content = snapshot, .ref_type = "case", .ref_id = case_id});
//
// Types with a fill function are also issued by POST /api/v1/documents.
// register_type is idempotent per type name (a later registration replaces the
// earlier one), so it may run from a capability's start-up more than once.
#pragma once

#include <soci/soci.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "documents/model.hpp"

namespace hall::calendar {
class CalendarService;
}

namespace hall::documents {

// A field the issuing screen may (or must) give.
struct FieldSpec {
  std::string name;  // "purpose"
  Text label;
  bool required = false;
  std::size_t max_chars = 60;
  std::vector<std::pair<std::string, Text>> options;  // non-empty: one of these values
  bool free_text = false;  // written by staff to the student: passes the courtesy check (B1)
};

struct FillContext {
  soci::session& tx;
  const auth::Caller& caller;
  std::int64_t student_id;
  // The client's fields, already checked against client_fields (present, type, length, options).
  const std::map<std::string, std::string>& fields;
  Millis now;
  std::string today;  // the hall's local date, "YYYY-MM-DD"
  const calendar::CalendarService* calendar;  // null only when seeding demo data
  // When correcting: the snapshot of the document being corrected (a receipt keeps its acceptance date).
  const json::object* original = nullptr;
};

struct DocumentType {
  std::string type;         // "enrollment_certificate"
  Text name;                // {"在读证明", "Certificate of Enrollment"}
  std::string number_code;  // "ZM" → HUT-ZM-2026-000123
  std::vector<FieldSpec> client_fields;
  std::function<json::object(FillContext&)> fill;  // null: issued only through issue_in by its capability
  std::function<Layout(const json::object& content)> layout;
};

void register_type(DocumentType t);
// nullptr when unknown.
std::shared_ptr<const DocumentType> find_type(std::string_view type);
std::vector<std::shared_ptr<const DocumentType>> all_types();

// The subject as the records have it (students, users, colleges).
struct StudentRecord {
  std::int64_t id = 0;
  std::string name, student_no, college, major, class_name;
  bool disabled = false;
  // The year of enrolment, from the first four digits of the 学号 (the
  // university numbers students by their year of entry); nullopt when the
  // number does not start with a plausible year.
  std::optional<int> enrolment_year;
};
// 404 student_not_found unless the id is a student's.
StudentRecord load_student(soci::session& tx, std::int64_t student_id);
// The enrolment year a 学号 implies (1990 … this_year + 1), or nullopt.
std::optional<int> enrolment_year_of(std::string_view student_no, int this_year);

// The built-in types: enrollment certificate (在读证明) and student-card
// replacement receipt (学生证补办回执). Registered on first use of the registry.
void register_builtin_types();

}  // namespace hall::documents
