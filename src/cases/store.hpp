// SQL of cases: the statements on the cases tables (cases, case_materials,
// case_events, case_notices, case_notice_materials, case_referrals,
// case_pauses, case_followups) are here, in store.cpp (cases, materials,
// events, demo rows), store_records.cpp (notices, referrals, follow-ups) and
// store_lists.cpp (lists, oversight, statistics, due recomputation). The B6.3
// warnings (case_warnings, case_warning_reads) still run theirs in warnings.cpp.
// Every function runs inside the caller's transaction; values are always bound
// (`:name`), never spliced; row locks through db::dialect(s).
//
// Other modules' tables are read through their stores (catalog::store,
// queue::store, auth::store, calendar::store) except where noted "Owner: …":
// joins for names in lists (users, students, units) and lookups those stores
// do not offer.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cases/model.hpp"
#include "core/json.hpp"
#include "db/row.hpp"

namespace hall::cases::store {

// Reading columns whatever integer type each backend reports.
using db::col_i64;
using db::col_opt_i64;
using db::col_opt_str;
using db::col_str;

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
  std::string student_name, student_no, first_responder_name, handler_name, item_name, item_name_en,
      item_code, ticket_number;
  Status st() const { return parse_status(status).value_or(Status::received); }
};

// SELECT of a case with its joins; append " WHERE …" and ordering.
extern const char* const kCaseSelect;
Case read_case(const soci::row& r);
// for_update: lock the row (db::Dialect::for_update; SQLite's writer queue already excludes
// others).
std::optional<Case> find_case(soci::session& s, long long id, bool for_update = false);

// Writing a case.
struct NewCase {
  std::string case_no;  // temporary until set_case_no (the number needs the id)
  long long hall_id = 0;
  std::string channel, status;
  std::optional<long long> ticket_id, student_id;
  std::string caller_name, caller_phone, caller_student_no, summary;
  std::optional<long long> item_id, item_version_id, first_responder_id, created_by;
  long long now = 0;
};
long long insert_case(soci::session& s, const NewCase& c);
void set_case_no(soci::session& s, long long id, const std::string& no);
void touch(soci::session& s, long long id, long long now);
// B6.1: the first responder (and the handler when none yet).
void set_first_responder(soci::session& s, long long id, long long user_id);
void set_item(soci::session& s, long long id, long long item_id, long long version_id);
void set_summary(soci::session& s, long long id, const std::string& summary);
void set_handler(soci::session& s, long long id, long long handler_id, long long now);
bool ticket_has_case(soci::session& s, long long ticket_id);
// B6.3
void accept(soci::session& s, long long id, long long now, long long due, long long days,
            long long handler_id, bool provisional);
void complete(soci::session& s, long long id, long long now, const std::string& note,
              const std::string& overdue_reason);
// B6.5
void mark_green(soci::session& s, long long id, const std::string& reason, long long by,
                long long now);
void set_due(soci::session& s, long long id, long long due);
// B6.2 (6): refused; a running pause ends with it.
void refuse(soci::session& s, long long id, long long now);
// B6.2 (4), (5): waiting for the student's materials; resume_status is where it goes back to.
void wait_for_materials(soci::session& s, long long id, const std::string& resume_status);
// B6.3: the clock stops while the student gathers materials, and resumes.
void pause_clock(soci::session& s, long long id, long long now);
void resume_status(soci::session& s, long long id, const std::string& status);
void resume_clock(soci::session& s, long long id, long long now, long long due,
                  long long paused_seconds, bool provisional);
void set_one_time_breach(soci::session& s, long long id);
void set_referred(soci::session& s, long long id, long long now);

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
void mark_material(soci::session& s, long long case_id, long long material_id,
                   const std::string& mark, const std::string& correction, long long by,
                   long long now);
// Brought again: unmarked, to be checked again before acceptance.
void material_brought(soci::session& s, long long case_id, long long material_id, long long now);

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
long long notice_count(soci::session& s, long long case_id);
// Inserts the notice and the materials as issued (position order); returns its id.
long long insert_notice(soci::session& s, const Notice& n,
                        const std::vector<std::pair<MaterialMark, int>>& materials);
void set_notice_document(soci::session& s, long long notice_id, long long document_id);

struct ReferralRow {
  long long id = 0, case_id = 0;
  Referral r;
  std::optional<long long> handler_user_id, document_id;
  std::string source;
  long long created_by = 0, created_at = 0;
  std::string created_by_name;
};
std::vector<ReferralRow> referrals(soci::session& s, long long case_id);
long long insert_referral(soci::session& s, long long case_id, const Referral& r,
                          std::optional<long long> handler_user_id, const std::string& source,
                          long long by, long long now);
void set_referral_document(soci::session& s, long long referral_id, long long document_id);
// Who referred the case last (0 when nobody).
long long last_referrer(soci::session& s, long long case_id);

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
std::optional<Followup> find_followup(soci::session& s, long long id);
std::vector<Followup> case_followups(soci::session& s, long long case_id);
// Open follow-ups of one assignee, green first, soonest due first.
std::vector<Followup> open_followups_of(soci::session& s, long long assignee_id);
// Every open follow-up (due before `due_before` when given), green first, soonest due first.
std::vector<Followup> open_followups(soci::session& s, std::optional<long long> due_before,
                                     int limit);
long long open_followup_count(soci::session& s, long long case_id);
long long insert_followup(soci::session& s, long long case_id, long long assignee_id, long long now,
                          const std::string& via, const std::string& note, long long due,
                          long long by);
void reply_followup(soci::session& s, long long id, const std::string& agreed,
                    const std::string& reply, long long now, long long by);

struct Event {
  long long id = 0, at = 0;
  std::string kind;
  std::optional<long long> actor_id;
  std::string actor_name, detail;
  bool is_public = true;
};
std::vector<Event> events(soci::session& s, long long case_id, bool public_only);
void add_event(soci::session& s, long long case_id, long long at, const std::string& kind,
               std::optional<long long> actor_id, const std::string& actor_name,
               const json::value& detail, bool is_public = true);

std::string user_name(soci::session& s, long long user_id);

// Demo data (cases/demo.cpp): a case received, accepted and maybe completed in the past.
struct DemoCase {
  std::string case_no, channel, summary, status, result_note;
  long long hall_id = 0, item_id = 0, version_id = 0, handler_id = 0, days = 0, accepted_at = 0,
            due_at = 0, created_at = 0;
  std::optional<long long> ticket_id, student_id, completed_at;
};
long long insert_demo_case(soci::session& s, const DemoCase& c);
void mark_all_provided(soci::session& s, long long case_id, long long by, long long at);
// The latest demo ticket of an item finished before `before` (id, student). Owner: queue
// (queue_tickets), people (students).
std::optional<std::pair<long long, long long>> demo_ticket(soci::session& s, long long item_id,
                                                           long long before);

// ---------------------------------------------------------------------------
// Lists (store_lists.cpp)

// The staff list: scope "" / all / open / mine / unreceived (restricted to
// unit_id's items when given, B6.1), a status, a text matched against number,
// summary, student and caller; B6.5 green first.
struct CaseFilter {
  std::string scope, status, text;
  long long me = 0;
  std::optional<long long> unit_id;
  int page = 1, page_size = 20;
};
std::vector<Case> search_cases(soci::session& s, const CaseFilter& f, long long* total);
std::vector<Case> cases_of_student(soci::session& s, long long student_id);
// Accepted and not finished (oversight), green first, soonest due first.
std::vector<Case> running_cases(soci::session& s);
// Accepted, processing or waiting, handled by `handler` when given (statistics).
std::vector<Case> open_accepted_cases(soci::session& s, std::optional<long long> handler);
// Completed past their due instant since `since` (B5), newest first.
std::vector<Case> completed_late_since(soci::session& s, long long since);

struct BreachRow {
  long long notice_id = 0, case_id = 0, issued_at = 0, staff_id = 0;
  std::string case_no, notice_no, staff_name, detail;
  bool green = false;
};
// B6.2 breaches, green first, newest first.
std::vector<BreachRow> breaches(soci::session& s);

struct Figures {
  long long opened = 0, completed = 0, completed_late = 0, notices = 0, breaches = 0, referrals = 0,
            followups = 0, followups_late = 0, green = 0;
};
// Counts over [from, to), of one staff member when given (D4).
Figures figures(soci::session& s, long long from, long long to, std::optional<long long> staff,
                long long now);
struct LateCase {
  long long id = 0, due_at = 0, completed_at = 0;
  std::string case_no, reason;
};
std::vector<LateCase> completed_late(soci::session& s, long long from, long long to,
                                     std::optional<long long> staff);

struct DueChange {
  long long case_id = 0, at = 0;
  std::string case_no, summary, status, handler, by, detail;
};
std::vector<DueChange> due_changes(soci::session& s);
// Open cases whose due instant rests on a provisional calendar (issue #10).
struct ProvisionalDue {
  long long id = 0, hall_id = 0, accepted_at = 0, days = 0, due_at = 0;
  std::string case_no, summary;
};
std::vector<ProvisionalDue> provisional_dues(soci::session& s);
// Ended pauses (id, started, ended) and green-channel events (at, detail) of a case.
std::vector<std::tuple<long long, long long, long long>> ended_pauses(soci::session& s,
                                                                      long long case_id);
std::vector<std::pair<long long, std::string>> green_events(soci::session& s, long long case_id);
void set_pause_seconds(soci::session& s, long long pause_id, long long seconds);
void set_recomputed_due(soci::session& s, long long id, long long due, long long original,
                        long long paused_seconds, bool provisional);

// ---------------------------------------------------------------------------
// Other modules' tables (store_lists.cpp), read where their stores offer nothing fitting.

// B6.1: the unit handling an item (its version's unit, else the item's). Owner: catalog, org
// (units).
struct ItemUnit {
  std::optional<long long> unit_id;
  std::string name, name_en;
};
ItemUnit item_unit(soci::session& s, std::optional<long long> version_id, long long item_id);
// A unit's name and location by id. Owner: org (units).
std::optional<std::pair<std::string, std::string>> unit_name_location(soci::session& s,
                                                                      long long unit_id);
// A student by number only (auth::store::find_student_user also takes card numbers). Owner: people.
std::optional<long long> student_by_no(soci::session& s, const std::string& student_no);
// A staff member for a referral: name, phone, unit name and location; nullopt for students and
// disabled accounts. Owner: auth (users), people (staff), org (units).
std::optional<Referral> staff_contact(soci::session& s, long long user_id);
// B6.1 contacts the catalog names (current versions) and hall staff, matched by text.
// Owner: catalog (catalog_items, catalog_item_versions), auth/people/org (users, staff, units).
struct CatalogContact {
  std::string office, person, phone, location, item_name;
};
std::vector<CatalogContact> catalog_contacts(soci::session& s, const std::string& text);
struct StaffContact {
  long long id = 0;
  std::string name, phone, office, location, role;
};
std::vector<StaffContact> staff_contacts(soci::session& s, const std::string& text);
// Enabled staff accounts (id, role), for the warnings' recipients. Owner: auth (users).
std::vector<std::pair<long long, std::string>> staff_roles(soci::session& s);
// The documents issued for a case. Owner: documents.
struct CaseDocument {
  long long id = 0, issued_at = 0;
  std::string type, number, status;
};
std::vector<CaseDocument> case_documents(soci::session& s, long long case_id);

}  // namespace hall::cases::store
