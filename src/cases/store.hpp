// SQL of cases. Every function runs inside the caller's transaction; values are
// always bound, never spliced. Catalog, queue and people tables are only read here.
#pragma once

#include "db/row.hpp"
#include <soci/soci.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cases/model.hpp"
#include "core/json.hpp"

namespace hall::cases::store {

// Reading columns whatever integer type each backend reports.
using db::col_i64;
using db::col_opt_i64;
using db::col_opt_str;
using db::col_str;

// A value bound at run time (NULL as an empty optional).
using Bind = std::variant<long long, std::string, std::optional<long long>, std::optional<std::string>>;
using Binds = std::vector<Bind>;
void query(soci::session& s, const std::string& sql, Binds binds, const std::function<void(const soci::row&)>& on_row);
long long execute(soci::session& s, const std::string& sql, Binds binds);
std::optional<long long> scalar(soci::session& s, const std::string& sql, Binds binds);

struct Case {
  long long id = 0, hall_id = 0;
  std::string case_no, channel;
  std::optional<long long> ticket_id, student_id;
  std::string caller_name, caller_phone, caller_student_no, summary;
  std::optional<long long> item_id, item_version_id;
  std::string status;
  std::optional<std::string> resume_status;
  std::optional<long long> first_responder_id, handler_id;
  bool green = false;
  std::string green_reason;
  std::optional<long long> green_by, green_at;
  std::optional<long long> time_limit_days, accepted_at, due_at, original_due_at, paused_at;
  long long paused_seconds = 0;
  bool due_provisional = false;  // due_at rests on a year without official holiday data
  std::optional<long long> completed_at;
  std::string result_note, overdue_reason;
  bool one_time_breach = false;
  std::optional<long long> created_by;
  long long created_at = 0, updated_at = 0;
  // joined
  std::string student_name, student_no, first_responder_name, handler_name, item_name, item_name_en, item_code,
      ticket_number;
  Status st() const { return parse_status(status).value_or(Status::received); }
};

// SELECT of a case with its joins; append " WHERE …" and ordering.
extern const char* const kCaseSelect;
Case read_case(const soci::row& r);
std::optional<Case> find_case(soci::session& s, long long id, bool for_update = false);
std::vector<Case> list_cases(soci::session& s, const std::string& where, Binds binds, const std::string& tail);

struct MaterialRow {
  MaterialMark m;
  int position = 0;
  std::string condition;
  std::optional<long long> marked_at, changed_at;
};
std::vector<MaterialRow> materials(soci::session& s, long long case_id);
// Copies the materials of the item version into the case's checklist (unmarked).
void copy_materials(soci::session& s, long long case_id, long long version_id);
void clear_materials(soci::session& s, long long case_id);

struct Notice {
  long long id = 0, case_id = 0;
  int seq = 0;
  std::string notice_no;
  long long issued_at = 0, staff_id = 0;
  std::string staff_name, item_name;
  bool outside_remit = false;
  std::string application_limit, refusal_reason, remarks;
  bool breach = false;
  std::string breach_detail;
  std::optional<long long> document_id;
  std::vector<NoticeMaterial> materials;
};
std::vector<Notice> notices(soci::session& s, long long case_id, bool with_materials = true);

struct ReferralRow {
  long long id = 0, case_id = 0;
  Referral r;
  std::optional<long long> handler_user_id, document_id;
  std::string source;
  long long created_by = 0, created_at = 0;
  std::string created_by_name;
};
std::vector<ReferralRow> referrals(soci::session& s, long long case_id);

struct Followup {
  long long id = 0, case_id = 0, assignee_id = 0;
  std::string assignee_name;
  long long reported_at = 0;
  std::string reported_via, student_note;
  long long due_at = 0;
  std::string status, agreed, reply;
  std::optional<long long> replied_at, replied_by;
  // joined (lists)
  std::string case_no, summary, student_name;
  bool green = false;
};
extern const char* const kFollowupSelect;
Followup read_followup(const soci::row& r);
std::vector<Followup> followups(soci::session& s, const std::string& where, Binds binds, const std::string& tail);

struct Event {
  long long id = 0, at = 0;
  std::string kind;
  std::optional<long long> actor_id;
  std::string actor_name, detail;
  bool is_public = true;
};
std::vector<Event> events(soci::session& s, long long case_id, bool public_only);
void add_event(soci::session& s, long long case_id, long long at, const std::string& kind,
               std::optional<long long> actor_id, const std::string& actor_name, const json::value& detail,
               bool is_public = true);

std::string user_name(soci::session& s, long long user_id);

}  // namespace hall::cases::store
