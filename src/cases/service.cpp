#include "cases/service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "calendar/service.hpp"
#include "cases/documents.hpp"
#include "cases/store.hpp"
#include "catalog/model.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "courtesy/service.hpp"
#include "db/optional.hpp"
#include "cases/module.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"
#include "documents/service.hpp"
#include "cases/warnings.hpp"

namespace hall::cases {

using store::Binds;
using store::col_i64;
using store::col_opt_i64;
using store::col_str;

namespace {

// ---------------------------------------------------------------------------
// Small helpers

json::value iso(const std::optional<long long>& ms) { return ms ? json::value(iso8601_utc(*ms)) : json::value(nullptr); }
json::value opt_id(const std::optional<long long>& v) { return v ? json::value(*v) : json::value(nullptr); }
bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

bool oversees(const auth::Caller& c) { return auth::has_permission(c.principal, "cases.oversee"); }
bool handles(const auth::Caller& c) { return auth::has_permission(c.principal, "cases.handle"); }

ApiError case_not_found() { return not_found("case_not_found", {"找不到该办件", "No such case"}); }
ApiError not_your_case() {
  return forbidden({"该办件由首问责任人或其指派的经办人办理", "Only the case's first responder or its handler may do this"});
}

store::Case case_or_404(soci::session& s, long long id, bool for_update = false) {
  auto c = store::find_case(s, id, for_update);
  if (!c) throw case_not_found();
  return *c;
}

// Reading: a student sees only their own cases (another's does not exist for them: 404).
void require_visible(const auth::Caller& c, const store::Case& k) {
  if (c.principal.is_student()) {
    if (!k.student_id || *k.student_id != c.principal.user_id) throw case_not_found();
    return;
  }
  if (!handles(c)) throw forbidden();
}

Binds B(std::initializer_list<store::Bind> l) { return Binds(l); }

// B6.1 with resident units: a case nobody has received yet (an online
// application names its item) is received by the unit that handles the item —
// its staff and head — or by the responsible teacher, never by another unit's
// staff who happens to open it first.
void require_item_unit(soci::session& s, const auth::Caller& c, const store::Case& k) {
  if (oversees(c) || k.first_responder_id || !k.item_id) return;
  std::optional<long long> unit;
  std::string name, name_en;
  store::query(s,
               "SELECT COALESCE(v.unit_id, i.unit_id), u.name, u.name_en FROM catalog_items i "
               "LEFT JOIN catalog_item_versions v ON v.id = ? "
               "LEFT JOIN units u ON u.id = COALESCE(v.unit_id, i.unit_id) WHERE i.id = ?",
               B({k.item_version_id.value_or(0), *k.item_id}), [&](const soci::row& r) {
                 unit = col_opt_i64(r, 0);
                 name = col_str(r, 1);
                 name_en = col_str(r, 2);
               });
  if (!unit || *unit == c.principal.unit_id) return;
  throw forbidden({fmt::format("该办件的事项由{}办理，请由该单位受理", name),
                   fmt::format("This case's item is handled by {}; that unit receives it",
                               name_en.empty() ? name : name_en)});
}

// Acting (B6.1): the first responder, the handler they assigned, or the responsible teacher.
void require_actor(soci::session& s, const auth::Caller& c, const store::Case& k) {
  if (!handles(c)) throw forbidden();
  if (oversees(c)) return;
  long long me = c.principal.user_id;
  if (!k.first_responder_id) {
    // Nobody received it yet: the item's unit acts first and so becomes its first responder.
    require_item_unit(s, c, k);
    return;
  }
  if (*k.first_responder_id == me || (k.handler_id && *k.handler_id == me)) return;
  throw not_your_case();
}

void touch(soci::session& s, long long id, long long now) {
  store::execute(s, "UPDATE cases SET updated_at = ? WHERE id = ?", B({now, id}));
}

// B6.1: the first staff member to receive a case becomes its first responder, once.
void ensure_first_responder(soci::session& s, const auth::Caller& c, store::Case& k, long long now) {
  if (k.first_responder_id || c.principal.is_student()) return;
  require_item_unit(s, c, k);
  long long me = c.principal.user_id;
  store::execute(s, "UPDATE cases SET first_responder_id = ?, handler_id = COALESCE(handler_id, ?) WHERE id = ?",
                 B({me, me, k.id}));
  k.first_responder_id = me;
  if (!k.handler_id) k.handler_id = me;
  store::add_event(s, k.id, now, "received", me, c.principal.name, json::object{}, true);
}

// B1: every text staff write to a student passes the courtesy check.
void polite(Deps& deps, soci::session& s, const auth::Caller& c, const std::string& text, const char* context,
            const std::string& field) {
  if (blank(text) || c.principal.is_student()) return;
  deps.courtesy->enforce(s, c, text, context, field);
}

std::string text_of(const Text& t, bool english) { return t.in(english); }

// ---------------------------------------------------------------------------
// JSON

json::object progress_json(const Progress& p) {
  return json::object{{"allowed_seconds", p.allowed_seconds},
                      {"used_seconds", p.used_seconds},
                      {"remaining_seconds", p.remaining_seconds},
                      {"fraction", std::round(p.fraction * 1000) / 1000},
                      {"warning", to_string(p.warning)},
                      {"overdue", p.overdue},
                      {"paused", p.paused}};
}

std::optional<Progress> progress_of(Deps& deps, const store::Case& k, long long now) {
  if (!k.accepted_at || !k.due_at) return std::nullopt;
  auto cal = deps.calendar->for_hall(k.hall_id);
  std::optional<Instant> paused = k.paused_at ? std::optional(instant(*k.paused_at)) : std::nullopt;
  std::optional<Instant> finished = k.completed_at ? std::optional(instant(*k.completed_at)) : std::nullopt;
  if (k.st() == Status::refused && !finished) finished = instant(k.updated_at);
  return progress(*cal, instant(*k.accepted_at), instant(*k.due_at), k.paused_seconds, paused, finished,
                  instant(now));
}

json::object case_json(Deps& deps, const auth::Caller& c, const store::Case& k, long long now) {
  bool en = c.english;
  bool student = c.principal.is_student();
  Status st = k.st();
  json::object o{
      {"id", k.id},
      {"case_no", k.case_no},
      {"hall_id", k.hall_id},
      {"channel", k.channel},
      {"ticket_id", opt_id(k.ticket_id)},
      {"ticket_number", k.ticket_number.empty() ? json::value(nullptr) : json::value(k.ticket_number)},
      {"student", k.student_id ? json::value(json::object{{"id", *k.student_id}, {"name", k.student_name}, {"student_no", k.student_no}})
                               : json::value(nullptr)},
      {"caller", json::object{{"name", k.caller_name}, {"phone", k.caller_phone}, {"student_no", k.caller_student_no}}},
      {"summary", k.summary},
      {"item", k.item_id ? json::value(json::object{{"id", *k.item_id},
                                                     {"code", k.item_code},
                                                     {"name", en && !k.item_name_en.empty() ? k.item_name_en : k.item_name},
                                                     {"version_id", opt_id(k.item_version_id)}})
                         : json::value(nullptr)},
      {"status", to_string(st)},
      {"status_text", text_of(status_text(st), en)},
      {"first_responder", k.first_responder_id
                              ? json::value(json::object{{"id", *k.first_responder_id}, {"name", k.first_responder_name}})
                              : json::value(nullptr)},
      {"handler", k.handler_id ? json::value(json::object{{"id", *k.handler_id}, {"name", k.handler_name}})
                               : json::value(nullptr)},
      {"green", k.green},
      {"green_reason", k.green_reason},
      {"time_limit_days", opt_id(k.time_limit_days)},
      {"accepted_at", iso(k.accepted_at)},
      {"due_at", iso(k.due_at)},
      // The due instant rests on a year without official holiday data: shown as provisional.
      {"due_provisional", k.due_at.has_value() && k.due_provisional},
      {"original_due_at", iso(k.original_due_at)},
      {"paused", k.paused_at.has_value()},
      {"paused_seconds", k.paused_seconds},
      {"completed_at", iso(k.completed_at)},
      {"result_note", k.result_note},
      {"overdue_reason", k.overdue_reason},
      {"created_at", iso8601_utc(k.created_at)},
      {"updated_at", iso8601_utc(k.updated_at)},
  };
  if (!student) o["one_time_breach"] = k.one_time_breach;
  auto p = progress_of(deps, k, now);
  o["progress"] = p ? json::value(progress_json(*p)) : json::value(nullptr);
  return o;
}

json::object material_json(const store::MaterialRow& m, bool en) {
  return json::object{{"material_id", m.m.material_id},
                      {"name", m.m.name},
                      {"required", m.m.required},
                      {"condition", m.condition},
                      {"mark", m.m.mark ? json::value(to_string(*m.m.mark)) : json::value(nullptr)},
                      {"mark_text", m.m.mark ? json::value(text_of(mark_text(*m.m.mark), en)) : json::value(nullptr)},
                      {"correction", m.m.correction},
                      {"marked_at", iso(m.marked_at)},
                      {"changed_at", iso(m.changed_at)}};
}

// The six parts of B6.2, as the notice shows them.
json::object notice_parts(const std::vector<NoticeMaterial>& mats, bool outside_remit, const std::string& limit,
                          const std::string& refusal, bool en) {
  json::array required, missing, defective;
  for (const auto& m : mats) {
    if (m.mark == Mark::not_applicable) continue;
    required.push_back(json::value(m.name));
    if (m.mark == Mark::missing) missing.push_back(json::value(m.name));
    if (m.mark == Mark::defective) defective.push_back(json::object{{"name", m.name}, {"correction", m.correction}});
  }
  return json::object{{"outside_remit", outside_remit},      // (1)
                      {"materials_required", required},       // (2)
                      {"application_limit", limit},           // (3)
                      {"missing", missing},                   // (4)
                      {"defective", defective},               // (5)
                      {"refusal_reason", refusal}};           // (6)
}

json::object notice_json(const store::Notice& n, bool en, bool student) {
  json::array mats;
  for (const auto& m : n.materials)
    mats.push_back(json::object{{"material_id", m.material_id},
                                {"name", m.name},
                                {"mark", to_string(m.mark)},
                                {"mark_text", text_of(mark_text(m.mark), en)},
                                {"correction", m.correction}});
  json::object o{{"id", n.id},
                 {"case_id", n.case_id},
                 {"seq", n.seq},
                 {"notice_no", n.notice_no},
                 {"issued_at", iso8601_utc(n.issued_at)},
                 {"staff", json::object{{"id", n.staff_id}, {"name", n.staff_name}}},
                 {"item_name", n.item_name},
                 {"materials", mats},
                 {"parts", notice_parts(n.materials, n.outside_remit, n.application_limit, n.refusal_reason, en)},
                 {"remarks", n.remarks},
                 {"document_id", opt_id(n.document_id)}};
  if (!student) {
    o["breach"] = n.breach;
    o["breach_detail"] = n.breach_detail;
  }
  return o;
}

json::object referral_json(const store::ReferralRow& r) {
  return json::object{{"id", r.id},
                      {"office", r.r.office},
                      {"handler", r.r.handler},
                      {"handler_user_id", opt_id(r.handler_user_id)},
                      {"phone", r.r.phone},
                      {"location", r.r.location},
                      {"note", r.r.note},
                      {"source", r.source},
                      {"document_id", opt_id(r.document_id)},
                      {"created_by", json::object{{"id", r.created_by}, {"name", r.created_by_name}}},
                      {"created_at", iso8601_utc(r.created_at)}};
}

json::object followup_json(const store::Followup& f, long long now, bool student, int offset_minutes) {
  json::object o{{"id", f.id},
                 {"case_id", f.case_id},
                 {"case_no", f.case_no},
                 {"assignee", json::object{{"id", f.assignee_id}, {"name", f.assignee_name}}},
                 {"reported_at", iso8601_utc(f.reported_at)},
                 {"reported_via", f.reported_via},
                 {"student_note", f.student_note},
                 {"due_at", iso8601_utc(f.due_at)},
                 {"status", f.status},
                 {"agreed", f.agreed},
                 {"reply", f.reply},
                 {"replied_at", iso(f.replied_at)},
                 {"overdue", f.status == "open" ? now > f.due_at : (f.replied_at && *f.replied_at > f.due_at)},
                 {"due_today", f.status == "open" && local_date(f.due_at, offset_minutes) == local_date(now, offset_minutes)}};
  if (!student) {
    o["summary"] = f.summary;
    o["student_name"] = f.student_name;
    o["green"] = f.green;
  }
  return o;
}

json::object event_json(const store::Event& e) {
  json::value detail;
  try {
    detail = json::parse(e.detail);
  } catch (...) {
    detail = json::object{};
  }
  return json::object{{"id", e.id},
                      {"at", iso8601_utc(e.at)},
                      {"kind", e.kind},
                      {"actor", e.actor_name},
                      {"detail", detail},
                      {"public", e.is_public}};
}

// B6.2 (3): the application period of the item as text, from the catalog.
std::string application_limit_text(soci::session& s, long long version_id, bool en) {
  std::string periods;
  store::query(s, "SELECT periods_json FROM catalog_item_versions WHERE id = ?", B({version_id}),
               [&](const soci::row& r) { periods = col_str(r, 0); });
  auto list = catalog::periods_from_json(periods.empty() ? "[]" : periods);
  if (list.empty()) return en ? "Any time (no application period)" : "随时可申请（无申请期限）";
  std::string out;
  for (const auto& p : list) {
    if (!out.empty()) out += en ? "; " : "；";
    out += p.from + (en ? " to " : " 至 ") + p.to;
    if (!p.note.empty()) out += (en ? " (" : "（") + p.note + (en ? ")" : "）");
  }
  return out;
}

std::vector<MaterialMark> marks_of(const std::vector<store::MaterialRow>& rows) {
  std::vector<MaterialMark> out;
  for (const auto& r : rows) out.push_back(r.m);
  return out;
}

long long count_of(soci::session& s, const std::string& sql, Binds b) { return store::scalar(s, sql, std::move(b)).value_or(0); }

void require_item(const store::Case& k) {
  if (!k.item_version_id)
    throw unprocessable("item_required", {"请先为办件选择服务事项", "Choose the service item of the case first"}, "item_id");
}

struct NoticeInput {
  bool outside_remit = false;
  std::optional<std::string> application_limit;
  std::string refusal_reason, remarks;
};

NoticeInput read_notice_input(const json::value& body) {
  NoticeInput in;
  JsonFields f(body.is_null() ? json::value(json::object{}) : body);
  in.outside_remit = f.optional_bool("outside_remit").value_or(false);
  in.application_limit = f.optional_string("application_limit", 300);
  in.refusal_reason = f.optional_string("refusal_reason", 1000).value_or("");
  in.remarks = f.optional_string("remarks", 1000).value_or("");
  f.finish();
  if (in.application_limit) check_text(*in.application_limit, "application_limit", 300, true);
  check_text(in.refusal_reason, "refusal_reason", 1000, true);
  check_text(in.remarks, "remarks", 1000, true);
  return in;
}

long long resolve_student_no(soci::session& s, const std::string& no, const char* field) {
  auto id = store::scalar(s, "SELECT user_id FROM students WHERE student_no = ?", B({no}));
  if (!id) throw bad_request("unknown_student", {"找不到该学号的学生", "No student with this number"}, field);
  return *id;
}

// The current version of an item (404-style 400 naming the field when unknown).
std::pair<long long, long long> item_version(soci::session& s, long long item_id) {
  std::optional<long long> version;
  bool found = false;
  store::query(s, "SELECT current_version_id FROM catalog_items WHERE id = ?", B({item_id}), [&](const soci::row& r) {
    found = true;
    version = col_opt_i64(r, 0);
  });
  if (!found || !version) throw bad_request("unknown_item", {"找不到该服务事项", "No such service item"}, "item_id");
  return {item_id, *version};
}

// Inserts the case row and its number; returns the id.
long long insert_case(Deps& deps, soci::session& s, long long hall_id, Channel ch, std::optional<long long> ticket_id,
                      std::optional<long long> student_id, const std::string& caller_name,
                      const std::string& caller_phone, const std::string& caller_no, const std::string& summary,
                      std::optional<long long> item_id, std::optional<long long> version_id,
                      std::optional<long long> first_responder, std::optional<long long> created_by, long long now) {
  std::string tmp = "tmp-" + std::to_string(now) + "-" + std::to_string(created_by.value_or(0)) + "-" +
                    std::to_string(student_id.value_or(0)) + "-" + caller_phone;
  long long id = 0;
  std::string channel(to_string(ch)), status(to_string(Status::received));
  store::query(s,
               "INSERT INTO cases (case_no, hall_id, channel, ticket_id, student_id, caller_name, caller_phone, "
               "caller_student_no, summary, item_id, item_version_id, status, first_responder_id, handler_id, "
               "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
               B({tmp, hall_id, channel, ticket_id, student_id, caller_name, caller_phone, caller_no, summary, item_id,
                  version_id, status, first_responder, first_responder, created_by, now, now}),
               [&](const soci::row& r) { id = col_i64(r, 0); });
  std::string no = case_number(local_date(now, deps.config.utc_offset_minutes), id);
  store::execute(s, "UPDATE cases SET case_no = ? WHERE id = ?", B({no, id}));
  if (version_id) store::copy_materials(s, id, *version_id);
  return id;
}

long long default_hall(Deps& deps) {
  long long h = deps.calendar->resolve_hall(0);
  if (!h) throw unprocessable("no_hall", {"尚未设置大厅", "No hall is set up yet"});
  return h;
}

}  // namespace

// ===========================================================================
// Intake

json::object CaseService::intake(const auth::Caller& c, const json::value& body) {
  auth::require(c.principal, "cases.handle");
  JsonFields f(body);
  std::string channel_s = f.required_string("channel", 20);
  auto ch = parse_channel(channel_s);
  if (!ch || *ch == Channel::online)
    throw bad_request("invalid_channel",
                      {"来源应为 ticket（取号）、phone（电话）或 walk_in（现场咨询）；网上申请由学生在门户提交",
                       "channel must be ticket, phone or walk_in; online applications come from the student portal"},
                      "channel");
  auto ticket_id = f.optional_int("ticket_id", 1);
  auto item_id = f.optional_int("item_id", 1);
  auto student_no = f.optional_string("student_no", 32);
  std::string caller_name = f.optional_string("caller_name", 50).value_or("");
  std::string caller_phone = f.optional_string("caller_phone", 30).value_or("");
  std::string summary = f.optional_string("summary", 500).value_or("");
  auto hall_in = f.optional_int("hall_id", 1);
  f.finish();
  check_text(caller_name, "caller_name", 50, true);
  check_text(summary, "summary", 500, true);
  if (*ch == Channel::phone) {
    if (blank(caller_name))
      throw bad_request("missing_field", {"电话来访须记录来电人姓名", "A phone call needs the caller's name"}, "caller_name");
    std::string digits;
    for (char x : caller_phone)
      if (isdigit(static_cast<unsigned char>(x))) digits += x;
      else if (x != '-' && x != ' ' && x != '+')
        throw bad_request("invalid_phone", {"电话号码格式不正确", "Not a phone number"}, "caller_phone");
    if (digits.size() < 5)
      throw bad_request(caller_phone.empty() ? "missing_field" : "invalid_phone",
                        {"电话来访须记录来电号码", "A phone call needs the caller's number"}, "caller_phone");
  }
  if (*ch != Channel::ticket && blank(summary))
    throw bad_request("missing_field", {"请简要记录来访事项", "Write a short summary of the matter"}, "summary");
  if (*ch == Channel::ticket && !ticket_id)
    throw bad_request("missing_field", {"请指明取号单", "Name the ticket"}, "ticket_id");
  if (*ch == Channel::walk_in && !student_no && blank(caller_name))
    throw bad_request("missing_field", {"请记录学号或来访人姓名", "Give the student number or the visitor's name"},
                      "student_no");

  long long now = Clock::now();
  long long me = c.principal.user_id;
  long long id = deps_.db->write([&](soci::session& s) {
    std::optional<long long> student, item, version, ticket;
    long long hall = hall_in ? *hall_in : 0;
    if (*ch == Channel::ticket) {
      // A case opened from a finished ticket at a window: the ticket's student, item and version.
      std::string status;
      bool found = false;
      store::query(s, "SELECT status, student_id, item_id, item_version_id, hall_id FROM queue_tickets WHERE id = ?",
                   B({*ticket_id}), [&](const soci::row& r) {
                     found = true;
                     status = col_str(r, 0);
                     student = col_i64(r, 1);
                     item = col_i64(r, 2);
                     version = col_i64(r, 3);
                     hall = col_i64(r, 4);
                   });
      if (!found) throw bad_request("unknown_ticket", {"找不到该取号单", "No such ticket"}, "ticket_id");
      if (status != "done")
        throw conflict("ticket_not_finished", {"取号单办理结束后才能登记办件", "Finish the ticket first"}, "ticket_id");
      if (count_of(s, "SELECT COUNT(*) FROM cases WHERE ticket_id = ?", B({*ticket_id})))
        throw conflict("case_exists", {"该取号单已登记办件", "This ticket already has a case"}, "ticket_id");
      if (item_id && *item_id != *item) std::tie(item, version) = item_version(s, *item_id);
      ticket = ticket_id;
    } else {
      if (student_no && !student_no->empty()) student = resolve_student_no(s, *student_no, "student_no");
      if (item_id) std::tie(item, version) = item_version(s, *item_id);
    }
    if (!hall) hall = default_hall(deps_);
    if (!count_of(s, "SELECT COUNT(*) FROM halls WHERE id = ?", B({hall})))
      throw bad_request("unknown_hall", {"找不到该大厅", "No such hall"}, "hall_id");
    std::string s_summary = summary;
    if (blank(s_summary) && version)
      store::query(s, "SELECT name FROM catalog_item_versions WHERE id = ?", B({*version}),
                   [&](const soci::row& r) { s_summary = col_str(r, 0); });
    long long cid = insert_case(deps_, s, hall, *ch, ticket, student, caller_name, caller_phone,
                                student_no.value_or(""), s_summary, item, version, me, me, now);
    // B6.1: the staff member who received it is its first responder, recorded once.
    store::add_event(s, cid, now, "opened", me, c.principal.name,
                     json::object{{"channel", to_string(*ch)}, {"first_responder", c.principal.name}}, true);
    auth::audit(s, c, "case.open", "case", std::to_string(cid),
                json::object{{"channel", to_string(*ch)}, {"ticket_id", opt_id(ticket)}, {"item_id", opt_id(item)}});
    return cid;
  });
  return get(c, id);
}

json::object CaseService::apply_online(const auth::Caller& c, const json::value& body) {
  if (!c.principal.is_student())
    throw forbidden({"网上申请由学生本人提交", "Online applications are made by students themselves"});
  JsonFields f(body);
  long long item_id = f.required_int("item_id", 1);
  std::string summary = f.optional_string("summary", 500).value_or("");
  f.finish();
  check_text(summary, "summary", 500, true);
  long long now = Clock::now(), me = c.principal.user_id;
  long long id = deps_.db->write([&](soci::session& s) {
    auto [item, version] = item_version(s, item_id);
    if (count_of(s, "SELECT suspended FROM catalog_items WHERE id = ?", B({item})))
      throw conflict("item_suspended", {"该事项暂停办理", "This item is suspended"}, "item_id");
    if (blank(summary))
      store::query(s, "SELECT name FROM catalog_item_versions WHERE id = ?", B({version}),
                   [&](const soci::row& r) { summary = col_str(r, 0); });
    long long cid = insert_case(deps_, s, default_hall(deps_), Channel::online, std::nullopt, me, c.principal.name, "",
                                "", summary, item, version, std::nullopt, me, now);
    store::add_event(s, cid, now, "opened", me, c.principal.name, json::object{{"channel", "online"}}, true);
    auth::audit(s, c, "case.apply", "case", std::to_string(cid), json::object{{"item_id", item}});
    return cid;
  });
  return get(c, id);
}

// ===========================================================================
// Reads

json::object CaseService::list(const auth::Caller& c, const ListQuery& q) const {
  auth::require(c.principal, "cases.handle");
  long long now = Clock::now(), me = c.principal.user_id;
  std::string where = "WHERE 1=1";
  Binds b;
  if (q.scope == "mine") {
    where += " AND (c.first_responder_id = ? OR c.handler_id = ?)";
    b.push_back(me);
    b.push_back(me);
  } else if (q.scope == "open" || q.scope.empty() || q.scope == "all") {
    if (q.scope == "open") where += " AND c.status NOT IN ('completed', 'refused')";
  } else if (q.scope == "unreceived") {
    where += " AND c.first_responder_id IS NULL";
    if (!oversees(c)) {  // B6.1: what the caller's unit may receive (require_item_unit)
      where +=
          " AND COALESCE((SELECT v.unit_id FROM catalog_item_versions v WHERE v.id = "
          "c.item_version_id), "
          "(SELECT i.unit_id FROM catalog_items i WHERE i.id = c.item_id)) = ?";
      b.push_back(static_cast<long long>(c.principal.unit_id));
    }
  } else {
    throw bad_request("invalid_scope", {"scope 应为 all、mine、open 或 unreceived", "scope must be all, mine, open or unreceived"},
                      "scope");
  }
  if (!q.status.empty()) {
    if (!parse_status(q.status)) throw bad_request("invalid_status", {"未知的状态", "Unknown status"}, "status");
    where += " AND c.status = ?";
    b.push_back(q.status);
  }
  if (!q.text.empty()) {
    where += " AND (c.case_no LIKE ? OR c.summary LIKE ? OR su.name LIKE ? OR st.student_no LIKE ? OR c.caller_name LIKE ?)";
    std::string like = "%" + q.text + "%";
    for (int i = 0; i < 5; ++i) b.push_back(like);
  }
  return deps_.db->read([&](soci::session& s) {
    long long total = 0;
    store::query(s,
                 "SELECT COUNT(*) FROM cases c LEFT JOIN users su ON su.id = c.student_id "
                 "LEFT JOIN students st ON st.user_id = c.student_id " + where,
                 b, [&](const soci::row& r) { total = col_i64(r, 0); });
    // B6.5: green-channel cases first in every list; then open before closed, soonest due first.
    auto rows = store::list_cases(
        s, where, b,
        fmt::format("ORDER BY c.green DESC, CASE WHEN c.status IN ('completed', 'refused') THEN 1 ELSE 0 END, "
                    "CASE WHEN c.due_at IS NULL THEN 1 ELSE 0 END, c.due_at, c.id DESC LIMIT {} OFFSET {}",
                    q.page_size, static_cast<long long>(q.page - 1) * q.page_size));
    json::array items;
    for (const auto& k : rows) items.push_back(case_json(deps_, c, k, now));
    return json::object{{"items", items}, {"total", total}, {"page", q.page}, {"page_size", q.page_size}};
  });
}

json::object CaseService::mine(const auth::Caller& c) const {
  if (!c.principal.is_user()) throw forbidden();
  long long now = Clock::now(), me = c.principal.user_id;
  return deps_.db->read([&](soci::session& s) {
    auto rows = store::list_cases(s, "WHERE c.student_id = ?", B({me}),
                                  "ORDER BY CASE WHEN c.status IN ('completed', 'refused') THEN 1 ELSE 0 END, "
                                  "c.green DESC, c.id DESC LIMIT 200");
    json::array items;
    for (const auto& k : rows) {
      json::object o = case_json(deps_, c, k, now);
      auto refs = store::referrals(s, k.id);
      o["referral"] = refs.empty() ? json::value(nullptr) : json::value(referral_json(refs.back()));
      o["notices"] = count_of(s, "SELECT COUNT(*) FROM case_notices WHERE case_id = ?", B({k.id}));
      o["open_followups"] = count_of(s, "SELECT COUNT(*) FROM case_followups WHERE case_id = ? AND status = 'open'", B({k.id}));
      items.push_back(o);
    }
    return json::object{{"items", items}};
  });
}

json::object CaseService::get(const auth::Caller& c, std::int64_t id) const {
  long long now = Clock::now();
  bool student = c.principal.is_student();
  return deps_.db->read([&](soci::session& s) {
    auto k = case_or_404(s, id);
    require_visible(c, k);
    json::object o = case_json(deps_, c, k, now);
    json::array mats, notices, refs, fus, timeline, docs;
    for (const auto& m : store::materials(s, k.id)) mats.push_back(material_json(m, c.english));
    for (const auto& n : store::notices(s, k.id)) notices.push_back(notice_json(n, c.english, student));
    for (const auto& r : store::referrals(s, k.id)) refs.push_back(referral_json(r));
    for (const auto& f : store::followups(s, "WHERE f.case_id = ?", B({k.id}), "ORDER BY f.id"))
      fus.push_back(followup_json(f, now, student, deps_.config.utc_offset_minutes));
    for (const auto& e : store::events(s, k.id, student)) timeline.push_back(event_json(e));
    o["materials"] = mats;
    o["notices"] = notices;
    o["referrals"] = refs;
    o["referral"] = refs.empty() ? json::value(nullptr) : refs.back();
    o["followups"] = fus;
    o["timeline"] = timeline;
    o["documents"] = case_documents(deps_, s, k.id);
    if (!student && k.item_version_id) {
      o["application_limit_default"] = application_limit_text(s, *k.item_version_id, c.english);
      // The catalog's referral contact of the item (B6.1), for the referral picker.
      store::query(s, "SELECT contact_office, contact_person, contact_phone, contact_location FROM catalog_item_versions WHERE id = ?",
                   B({*k.item_version_id}), [&](const soci::row& r) {
                     o["catalog_contact"] = json::object{{"office", col_str(r, 0)}, {"handler", col_str(r, 1)},
                                                         {"phone", col_str(r, 2)}, {"location", col_str(r, 3)}};
                   });
    }
    if (!student) {
      long long me = c.principal.user_id;
      bool may = handles(c) && (oversees(c) || !k.first_responder_id || *k.first_responder_id == me ||
                                (k.handler_id && *k.handler_id == me));
      o["may_act"] = may;
    }
    return o;
  });
}

json::object CaseService::notice(const auth::Caller& c, std::int64_t case_id, std::int64_t notice_id) const {
  return deps_.db->read([&](soci::session& s) {
    auto k = case_or_404(s, case_id);
    require_visible(c, k);
    for (const auto& n : store::notices(s, k.id))
      if (n.id == notice_id) {
        json::object o = notice_json(n, c.english, c.principal.is_student());
        o["case_no"] = k.case_no;
        o["student"] = k.student_id ? json::value(json::object{{"name", k.student_name}, {"student_no", k.student_no}})
                                    : json::value(json::object{{"name", k.caller_name}, {"student_no", k.caller_student_no}});
        return o;
      }
    throw not_found("notice_not_found", {"找不到该告知书", "No such notice"});
  });
}

// ===========================================================================
// Writes on a case

json::object CaseService::edit(const auth::Caller& c, std::int64_t id, const json::value& body) {
  JsonFields f(body);
  auto item_id = f.optional_int("item_id", 1);
  auto summary = f.optional_string("summary", 500);
  f.finish();
  if (summary) {
    check_text(*summary, "summary", 500);
    if (blank(*summary)) throw bad_request("missing_field", {"请简要记录来访事项", "Write a short summary"}, "summary");
  }
  long long now = Clock::now();
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::edit, k.st());
    ensure_first_responder(s, c, k, now);
    if (item_id && (!k.item_id || *item_id != *k.item_id)) {
      // The checklist follows the item version; after a notice the version is fixed (B6.2).
      if (count_of(s, "SELECT COUNT(*) FROM case_notices WHERE case_id = ?", B({k.id})))
        throw conflict("notice_issued", {"已出具告知书，不能再更换事项", "A notice was issued: the item can no longer change"},
                       "item_id");
      auto [item, version] = item_version(s, *item_id);
      store::execute(s, "UPDATE cases SET item_id = ?, item_version_id = ? WHERE id = ?", B({item, version, k.id}));
      store::clear_materials(s, k.id);
      store::copy_materials(s, k.id, version);
      store::add_event(s, k.id, now, "item_set", c.principal.user_id, c.principal.name,
                       json::object{{"item_id", item}, {"version_id", version}}, true);
    }
    if (summary) store::execute(s, "UPDATE cases SET summary = ? WHERE id = ?", B({*summary, k.id}));
    touch(s, k.id, now);
    auth::audit(s, c, "case.edit", "case", std::to_string(k.id), json::object{{"item_id", opt_id(item_id)}});
  });
  return get(c, id);
}

json::object CaseService::receive(const auth::Caller& c, std::int64_t id) {
  auth::require(c.principal, "cases.handle");
  long long now = Clock::now();
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    if (k.first_responder_id)
      throw conflict("already_received", {fmt::format("该办件已由{}接收", k.first_responder_name),
                                          fmt::format("{} already received this case", k.first_responder_name)});
    ensure_first_responder(s, c, k, now);
    touch(s, k.id, now);
    auth::audit(s, c, "case.receive", "case", std::to_string(k.id));
  });
  return get(c, id);
}

json::object CaseService::assign(const auth::Caller& c, std::int64_t id, const json::value& body) {
  JsonFields f(body);
  long long handler = f.required_int("handler_id", 1);
  f.finish();
  long long now = Clock::now();
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::assign, k.st());
    std::string role, name;
    long long disabled = 1;
    store::query(s, "SELECT role, name, disabled FROM users WHERE id = ?", B({handler}), [&](const soci::row& r) {
      role = col_str(r, 0);
      name = col_str(r, 1);
      disabled = col_i64(r, 2);
    });
    if (disabled || !auth::role_has(role, "cases.handle"))
      throw bad_request("unknown_handler", {"经办人须为大厅在岗工作人员", "The handler must be active hall staff"}, "handler_id");
    ensure_first_responder(s, c, k, now);
    store::execute(s, "UPDATE cases SET handler_id = ?, updated_at = ? WHERE id = ?", B({handler, now, k.id}));
    store::add_event(s, k.id, now, "assigned", c.principal.user_id, c.principal.name,
                     json::object{{"handler", name}}, true);
    auth::audit(s, c, "case.assign", "case", std::to_string(k.id), json::object{{"handler_id", handler}});
  });
  return get(c, id);
}

json::object CaseService::mark(const auth::Caller& c, std::int64_t id, const json::value& body) {
  JsonFields f(body);
  const json::array& marks = f.required_array("marks");
  f.finish();
  if (marks.empty()) throw bad_request("missing_field", {"请至少标记一项材料", "Mark at least one material"}, "marks");
  struct In {
    long long material_id;
    Mark mark;
    std::string correction;
    std::string field;
  };
  std::vector<In> in;
  for (std::size_t i = 0; i < marks.size(); ++i) {
    std::string field = fmt::format("marks[{}]", i);
    if (!marks[i].is_object())
      throw bad_request("wrong_type", {"每项应为对象", "Each mark must be an object"}, field);
    JsonFields m = f.nested(marks[i].as_object(), field);
    long long mid = m.required_int("material_id", 1);
    std::string ms = m.required_string("mark", 20);
    std::string corr = m.optional_string("correction", 500).value_or("");
    m.finish();
    auto mk = parse_mark(ms);
    if (!mk)
      throw bad_request("invalid_mark", {"标记应为 provided、missing、defective 或 not_applicable",
                                         "mark must be provided, missing, defective or not_applicable"},
                        field + ".mark");
    check_text(corr, field + ".correction", 500, true);
    in.push_back({mid, *mk, corr, field});
  }
  long long now = Clock::now();
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::mark, k.st());
    require_item(k);
    ensure_first_responder(s, c, k, now);
    auto rows = store::materials(s, k.id);
    std::map<long long, MaterialMark> by_id;
    for (const auto& r : rows) by_id[r.m.material_id] = r.m;
    json::array changed;
    for (const auto& x : in) {
      auto it = by_id.find(x.material_id);
      if (it == by_id.end())
        throw bad_request("unknown_material", {"该材料不属于本办件的事项", "This material is not on the case's checklist"},
                          x.field + ".material_id");
      MaterialMark mm = it->second;
      mm.mark = x.mark;
      mm.correction = x.mark == Mark::defective ? x.correction : "";
      check_mark(mm, x.field);
      polite(deps_, s, c, mm.correction, "cases.materials", x.field + ".correction");
      std::string mark_s(to_string(x.mark));
      long long me = c.principal.user_id;
      store::execute(s,
                     "UPDATE case_materials SET mark = ?, correction = ?, marked_by = ?, marked_at = ? "
                     "WHERE case_id = ? AND material_id = ?",
                     B({mark_s, mm.correction, me, now, k.id, x.material_id}));
      changed.push_back(json::object{{"name", mm.name}, {"mark", mark_s}});
    }
    store::add_event(s, k.id, now, "materials_marked", c.principal.user_id, c.principal.name,
                     json::object{{"materials", changed}}, false);
    touch(s, k.id, now);
    auth::audit(s, c, "case.mark", "case", std::to_string(k.id), json::object{{"materials", changed}});
  });
  return get(c, id);
}

json::object CaseService::preview_notice(const auth::Caller& c, std::int64_t id, const json::value& body) const {
  NoticeInput in = read_notice_input(body);
  return deps_.db->read([&](soci::session& s) {
    auto k = case_or_404(s, id);
    require_visible(c, k);
    if (c.principal.is_student()) throw forbidden();
    require_item(k);
    auto rows = store::materials(s, k.id);
    auto left = unmarked(marks_of(rows));
    std::vector<NoticeMaterial> mats;
    for (const auto& r : rows)
      mats.push_back({r.m.material_id, r.m.name, r.m.mark.value_or(Mark::provided), r.m.correction});
    std::string limit = in.application_limit.value_or(application_limit_text(s, *k.item_version_id, c.english));
    json::array left_json;
    for (const auto& n : left) left_json.push_back(json::value(n));
    // What a notice issued now would say; a breach it would cause is shown before it happens.
    auto prev = store::notices(s, k.id);
    json::array breach;
    if (!prev.empty() && left.empty()) {
      std::set<std::int64_t> changed;
      for (const auto& r : rows)
        if (r.changed_at && *r.changed_at > prev.back().issued_at) changed.insert(r.m.material_id);
      for (const auto& b : detect_breach(prev.back().materials, mats, changed))
        breach.push_back(json::object{{"material_id", b.material_id}, {"name", b.name}, {"reason", b.reason}});
    }
    return json::object{{"ready", left.empty()},
                        {"unmarked", left_json},
                        {"would_breach", breach},
                        {"parts", notice_parts(mats, in.outside_remit, limit, in.refusal_reason, c.english)},
                        {"remarks", in.remarks},
                        {"staff", c.principal.name},
                        {"case_no", k.case_no},
                        {"item_name", k.item_name}};
  });
}

json::object CaseService::issue_notice(const auth::Caller& c, std::int64_t id, const json::value& body) {
  NoticeInput in = read_notice_input(body);
  long long now = Clock::now(), me = c.principal.user_id;
  long long notice_id = deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::notice, k.st());
    require_item(k);
    auto rows = store::materials(s, k.id);
    require_all_marked(marks_of(rows));  // B6.2: nothing left out
    polite(deps_, s, c, in.refusal_reason, "cases.notice", "refusal_reason");
    polite(deps_, s, c, in.remarks, "cases.notice", "remarks");
    if (in.application_limit) polite(deps_, s, c, *in.application_limit, "cases.notice", "application_limit");
    ensure_first_responder(s, c, k, now);
    std::string limit = in.application_limit.value_or(application_limit_text(s, *k.item_version_id, false));

    std::vector<NoticeMaterial> mats;
    bool requests = false;
    for (const auto& r : rows) {
      mats.push_back({r.m.material_id, r.m.name, *r.m.mark, r.m.correction});
      requests = requests || is_requested(*r.m.mark);
    }
    // B6.2 breach: compared with the previous notice and what the student brought since.
    auto prev = store::notices(s, k.id);
    std::vector<BreachFinding> breach;
    if (!prev.empty()) {
      std::set<std::int64_t> changed;
      for (const auto& r : rows)
        if (r.changed_at && *r.changed_at > prev.back().issued_at) changed.insert(r.m.material_id);
      breach = detect_breach(prev.back().materials, mats, changed);
    }
    int seq = static_cast<int>(prev.size()) + 1;
    std::string no = notice_number(k.case_no, seq);
    std::string staff_name = store::user_name(s, me);
    long long outside = in.outside_remit ? 1 : 0, is_breach = breach.empty() ? 0 : 1;
    std::string detail = describe(breach, false);
    long long nid = 0;
    store::query(s,
                 "INSERT INTO case_notices (case_id, seq, notice_no, issued_at, staff_id, staff_name, item_name, "
                 "outside_remit, application_limit, refusal_reason, remarks, breach, breach_detail) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 B({k.id, static_cast<long long>(seq), no, now, me, staff_name, k.item_name, outside, limit,
                    in.refusal_reason, in.remarks, is_breach, detail}),
                 [&](const soci::row& r) { nid = col_i64(r, 0); });
    for (const auto& r : rows) {
      std::string mk(to_string(*r.m.mark));
      store::execute(s,
                     "INSERT INTO case_notice_materials (notice_id, material_id, position, name, required, mark, correction) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     B({nid, r.m.material_id, static_cast<long long>(r.position), r.m.name,
                        static_cast<long long>(r.m.required ? 1 : 0), mk, r.m.correction}));
    }
    Status st = k.st();
    if (!blank(in.refusal_reason)) {
      // (6) refused: the case ends here; a running pause ends with it.
      store::execute(s, "UPDATE cases SET status = 'refused', resume_status = NULL, paused_at = NULL WHERE id = ?",
                     B({k.id}));
      store::execute(s, "UPDATE case_pauses SET ended_at = ? WHERE case_id = ? AND ended_at IS NULL", B({now, k.id}));
    } else if (requests) {
      // (4), (5): waiting for the student's materials; an accepted case's clock stops (B6.3).
      std::string resume(to_string(st == Status::waiting_materials ? parse_status(k.resume_status.value_or("received"))
                                                                           .value_or(Status::received)
                                                                     : st));
      store::execute(s, "UPDATE cases SET status = 'waiting_materials', resume_status = ? WHERE id = ?", B({resume, k.id}));
      if (k.accepted_at && !k.paused_at) {
        store::execute(s, "UPDATE cases SET paused_at = ? WHERE id = ?", B({now, k.id}));
        store::execute(s, "INSERT INTO case_pauses (case_id, started_at) VALUES (?, ?)", B({k.id, now}));
        store::add_event(s, k.id, now, "clock_paused", me, c.principal.name, json::object{}, true);
      }
    }
    if (is_breach) {
      store::execute(s, "UPDATE cases SET one_time_breach = 1 WHERE id = ?", B({k.id}));
      store::add_event(s, k.id, now, "one_time_breach", me, c.principal.name,
                       json::object{{"notice_no", no}, {"detail", detail}}, false);
    }
    touch(s, k.id, now);
    store::add_event(s, k.id, now, "notice_issued", me, c.principal.name,
                     json::object{{"notice_id", nid}, {"notice_no", no}}, true);
    // The printable notice (一次性告知书) from its template, when the case has a student.
    if (auto doc = issue_notice_document(deps_, s, c, k, nid))
      store::execute(s, "UPDATE case_notices SET document_id = ? WHERE id = ?", B({*doc, nid}));
    auth::audit(s, c, "case.notice", "case", std::to_string(k.id),
                json::object{{"notice_no", no}, {"breach", is_breach != 0}, {"refused", !blank(in.refusal_reason)}});
    return nid;
  });
  json::object out = get(c, id);
  out["issued_notice_id"] = notice_id;
  return out;
}

json::object CaseService::resubmit(const auth::Caller& c, std::int64_t id, const json::value& body) {
  JsonFields f(body.is_null() ? json::value(json::object{}) : body);
  const json::array* ids = f.optional_array("material_ids");
  std::string note = f.optional_string("note", 500).value_or("");
  f.finish();
  check_text(note, "note", 500, true);
  std::set<long long> wanted;
  if (ids)
    for (std::size_t i = 0; i < ids->size(); ++i) {
      if (!(*ids)[i].is_int64())
        throw bad_request("wrong_type", {"应为材料编号", "Must be a material id"}, fmt::format("material_ids[{}]", i));
      wanted.insert((*ids)[i].as_int64());
    }
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    if (c.principal.is_student()) require_visible(c, k);
    else require_actor(s, c, k);
    check_action(Action::resubmit, k.st());
    auto rows = store::materials(s, k.id);
    std::set<long long> on_list;
    for (const auto& r : rows) on_list.insert(r.m.material_id);
    for (long long w : wanted)
      if (!on_list.count(w))
        throw bad_request("unknown_material", {"该材料不属于本办件的事项", "This material is not on the case's checklist"},
                          "material_ids");
    // What was asked (missing/defective) unless the request names what was brought.
    json::array brought;
    for (const auto& r : rows) {
      bool take = wanted.empty() ? (r.m.mark && is_requested(*r.m.mark)) : wanted.count(r.m.material_id) > 0;
      if (!take) continue;
      // Brought again: to be checked again before acceptance.
      store::execute(s,
                     "UPDATE case_materials SET changed_at = ?, mark = NULL, correction = '' WHERE case_id = ? AND material_id = ?",
                     B({now, k.id, r.m.material_id}));
      brought.push_back(json::value(r.m.name));
    }
    Status back = parse_status(k.resume_status.value_or("received")).value_or(Status::received);
    std::string back_s(to_string(back));
    store::execute(s, "UPDATE cases SET status = ?, resume_status = NULL WHERE id = ?", B({back_s, k.id}));
    json::object detail{{"materials", brought}, {"note", note}};
    if (k.paused_at && k.due_at) {
      // B6.3: the clock resumes; the due instant moves by exactly the paused working time.
      auto cal = deps_.calendar->for_hall(k.hall_id);
      std::int64_t paused = 0;
      Instant due = resume_due(*cal, instant(*k.due_at), instant(*k.paused_at), instant(now), &paused);
      long long due_ms = millis(due), paused_s = paused;
      long long provisional = k.due_provisional || cal->provisional_between(instant(*k.paused_at), due);
      store::execute(s,
                     "UPDATE cases SET due_at = ?, paused_at = NULL, paused_seconds = paused_seconds + ?, "
                     "due_provisional = ? WHERE id = ?",
                     B({due_ms, paused_s, provisional, k.id}));
      store::execute(s, "UPDATE case_pauses SET ended_at = ?, working_seconds = ? WHERE case_id = ? AND ended_at IS NULL",
                     B({now, static_cast<long long>(paused), k.id}));
      detail["paused_seconds"] = paused;
      detail["due_at"] = iso8601_utc(due_ms);
    }
    store::add_event(s, k.id, now, "materials_resubmitted", me, c.principal.name, detail, true);
    touch(s, k.id, now);
    auth::audit(s, c, "case.resubmit", "case", std::to_string(k.id), detail);
  });
  return get(c, id);
}

json::object CaseService::accept(const auth::Caller& c, std::int64_t id) {
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::accept, k.st());
    require_item(k);
    require_complete(marks_of(store::materials(s, k.id)));
    ensure_first_responder(s, c, k, now);
    long long days = 0;
    store::query(s, "SELECT time_limit_days FROM catalog_item_versions WHERE id = ?", B({*k.item_version_id}),
                 [&](const soci::row& r) { days = col_i64(r, 0); });
    // B6.3: due from the item's promise with the working-day calendar.
    auto cal = deps_.calendar->for_hall(k.hall_id);
    Instant due_i = due_on_acceptance(*cal, instant(now), static_cast<int>(days));
    long long due = millis(due_i);
    // Recomputed when the year's official schedule is imported (cases/due_recompute.hpp).
    long long provisional = cal->provisional_between(instant(now), due_i);
    store::execute(s,
                   "UPDATE cases SET status = 'processing', accepted_at = ?, due_at = ?, original_due_at = ?, "
                   "time_limit_days = ?, handler_id = COALESCE(handler_id, ?), updated_at = ?, due_provisional = ? "
                   "WHERE id = ?",
                   B({now, due, due, days, me, now, provisional, k.id}));
    store::add_event(s, k.id, now, "accepted", me, c.principal.name,
                     json::object{{"due_at", iso8601_utc(due)}, {"time_limit_days", days}, {"provisional", provisional != 0}},
                     true);
    auth::audit(s, c, "case.accept", "case", std::to_string(k.id), json::object{{"due_at", iso8601_utc(due)}});
  });
  return get(c, id);
}

json::object CaseService::complete(const auth::Caller& c, std::int64_t id, const json::value& body) {
  JsonFields f(body.is_null() ? json::value(json::object{}) : body);
  std::string note = f.optional_string("result_note", 1000).value_or("");
  std::string reason = f.optional_string("overdue_reason", 500).value_or("");
  f.finish();
  check_text(note, "result_note", 1000, true);
  check_text(reason, "overdue_reason", 500, true);
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::complete, k.st());
    bool late = k.due_at && now > *k.due_at;
    // B5, B6.3: every miss is visible with its reason.
    if (late && blank(reason))
      throw bad_request("missing_field", {"已超过承诺时限，请说明超时原因", "The case is past due: give the reason for the delay"},
                        "overdue_reason");
    polite(deps_, s, c, note, "cases.complete", "result_note");
    store::execute(s,
                   "UPDATE cases SET status = 'completed', completed_at = ?, result_note = ?, overdue_reason = ?, "
                   "updated_at = ? WHERE id = ?",
                   B({now, note, late ? reason : std::string(), now, k.id}));
    store::add_event(s, k.id, now, "completed", me, c.principal.name,
                     json::object{{"result_note", note}, {"late", late}}, true);
    auth::audit(s, c, "case.complete", "case", std::to_string(k.id),
                json::object{{"late", late}, {"overdue_reason", reason}});
  });
  return get(c, id);
}

json::object CaseService::refer(const auth::Caller& c, std::int64_t id, const json::value& body) {
  JsonFields f(body);
  std::string source = f.optional_string("source", 20).value_or("other");
  auto handler_user = f.optional_int("handler_user_id", 1);
  auto office = f.optional_string("office", 100);
  auto handler = f.optional_string("handler", 100);
  auto phone = f.optional_string("phone", 40);
  auto location = f.optional_string("location", 200);
  std::string note = f.optional_string("note", 500).value_or("");
  f.finish();
  if (source != "catalog" && source != "staff" && source != "other")
    throw bad_request("invalid_source", {"来源应为 catalog、staff 或 other", "source must be catalog, staff or other"}, "source");
  if (source == "staff" && !handler_user)
    throw bad_request("missing_field", {"请选择经办人", "Choose the handler"}, "handler_user_id");
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::refer, k.st());
    Referral r;
    if (source == "catalog") {
      // B6.1: the item's referral contact from the catalog (what the request gives overrides it).
      if (!k.item_version_id)
        throw unprocessable("item_required", {"请先为办件选择服务事项", "Choose the service item of the case first"}, "item_id");
      store::query(s, "SELECT contact_office, contact_person, contact_phone, contact_location FROM catalog_item_versions WHERE id = ?",
                   B({*k.item_version_id}), [&](const soci::row& row) {
                     r.office = col_str(row, 0);
                     r.handler = col_str(row, 1);
                     r.phone = col_str(row, 2);
                     r.location = col_str(row, 3);
                   });
      if (blank(r.office))
        store::query(s, "SELECT u.name, u.location FROM catalog_items i JOIN units u ON u.id = i.unit_id WHERE i.id = ?",
                     B({*k.item_id}), [&](const soci::row& row) {
                       r.office = col_str(row, 0);
                       if (blank(r.location)) r.location = col_str(row, 1);
                     });
    } else if (source == "staff") {
      bool found = false;
      store::query(s,
                   "SELECT u.name, COALESCE(st.phone, ''), COALESCE(un.name, ''), COALESCE(un.location, ''), u.role, u.disabled "
                   "FROM users u LEFT JOIN staff st ON st.user_id = u.id LEFT JOIN units un ON un.id = st.unit_id WHERE u.id = ?",
                   B({*handler_user}), [&](const soci::row& row) {
                     found = col_str(row, 4) != "student" && col_i64(row, 5) == 0;
                     r.handler = col_str(row, 0);
                     r.phone = col_str(row, 1);
                     r.office = col_str(row, 2);
                     r.location = col_str(row, 3);
                   });
      if (!found) throw bad_request("unknown_handler", {"找不到该经办人", "No such handler"}, "handler_user_id");
    }
    if (office) r.office = *office;
    if (handler) r.handler = *handler;
    if (phone) r.phone = *phone;
    if (location) r.location = *location;
    r.note = note;
    check_referral(r);  // B6.1: an office and a specific handler, never "I don't know"
    polite(deps_, s, c, r.note, "cases.referral", "note");
    ensure_first_responder(s, c, k, now);
    long long rid = 0;
    store::query(s,
                 "INSERT INTO case_referrals (case_id, office, handler, handler_user_id, phone, location, note, source, "
                 "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 B({k.id, r.office, r.handler, source == "staff" ? std::optional<long long>(*handler_user) : std::optional<long long>(), r.phone,
                    r.location, r.note, source, me, now}),
                 [&](const soci::row& row) { rid = col_i64(row, 0); });
    store::execute(s, "UPDATE cases SET status = 'referred', resume_status = NULL, updated_at = ? WHERE id = ?",
                   B({now, k.id}));
    store::add_event(s, k.id, now, "referred", me, c.principal.name,
                     json::object{{"office", r.office}, {"handler", r.handler}, {"phone", r.phone},
                                  {"location", r.location}, {"note", r.note}},
                     true);
    if (auto doc = issue_referral_document(deps_, s, c, k, rid))
      store::execute(s, "UPDATE case_referrals SET document_id = ? WHERE id = ?", B({*doc, rid}));
    auth::audit(s, c, "case.refer", "case", std::to_string(k.id),
                json::object{{"office", r.office}, {"handler", r.handler}, {"source", source}});
  });
  return get(c, id);
}

json::object CaseService::unreachable(const auth::Caller& c, std::int64_t id, const json::value& body) {
  JsonFields f(body.is_null() ? json::value(json::object{}) : body);
  std::string via = f.optional_string("via", 20).value_or(c.principal.is_student() ? "portal" : "window");
  std::string note = f.optional_string("note", 500).value_or("");
  f.finish();
  check_text(note, "note", 500, true);
  if (c.principal.is_student()) via = "portal";
  if (via != "window" && via != "phone" && via != "portal")
    throw bad_request("invalid_via", {"渠道应为 window、phone 或 portal", "via must be window, phone or portal"}, "via");
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    if (c.principal.is_student()) require_visible(c, k);
    else if (!handles(c)) throw forbidden();
    check_action(Action::unreachable, k.st());
    if (count_of(s, "SELECT COUNT(*) FROM case_followups WHERE case_id = ? AND status = 'open'", B({k.id})))
      throw conflict("followup_open", {"已有进行中的跟进，首问责任人正在联系", "A follow-up is already under way"});
    // B6.1: the first responder follows up, in principle within one working day.
    long long assignee = k.first_responder_id.value_or(k.handler_id.value_or(0));
    if (!assignee)
      store::query(s, "SELECT created_by FROM case_referrals WHERE case_id = ? ORDER BY id DESC", B({k.id}),
                   [&](const soci::row& r) { if (!assignee) assignee = col_i64(r, 0); });
    auto cal = deps_.calendar->for_hall(k.hall_id);
    long long due = millis(cal->deadline_after_working_days(instant(now), 1));
    long long fid = 0;
    store::query(s,
                 "INSERT INTO case_followups (case_id, assignee_id, reported_at, reported_via, student_note, due_at, "
                 "status, created_by) VALUES (?, ?, ?, ?, ?, ?, 'open', ?) RETURNING id",
                 B({k.id, assignee, now, via, note, due, me}), [&](const soci::row& r) { fid = col_i64(r, 0); });
    touch(s, k.id, now);
    store::add_event(s, k.id, now, "unreachable", me, c.principal.name,
                     json::object{{"via", via}, {"note", note}, {"due_at", iso8601_utc(due)}, {"followup_id", fid}}, true);
    auth::audit(s, c, "case.unreachable", "case", std::to_string(k.id), json::object{{"followup_id", fid}, {"via", via}});
  });
  return get(c, id);
}

json::object CaseService::green(const auth::Caller& c, std::int64_t id, const json::value& body) {
  auth::require(c.principal, "green_channel.mark");
  JsonFields f(body);
  std::string reason = f.required_string("reason", 300);
  auto due_s = f.optional_string("due_at", 40);
  f.finish();
  check_text(reason, "reason", 300);
  if (blank(reason))
    throw bad_request("missing_field", {"绿色通道须写明原因", "The green channel needs a reason"}, "reason");
  std::optional<long long> due_new;
  if (due_s) due_new = parse_iso8601(*due_s, "due_at");
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    if (!handles(c)) throw forbidden();
    check_action(Action::green, k.st());
    if (due_new) {
      // B6.5: the due instant may be brought forward, never pushed back.
      if (!k.due_at)
        throw bad_request("not_accepted", {"受理后才有办结时限", "The case has no due date before acceptance"}, "due_at");
      if (*due_new <= now || *due_new >= *k.due_at)
        throw bad_request("invalid_due_at", {"新的办结时限应晚于现在、早于原时限", "The new due date must be after now and before the current one"},
                          "due_at");
    }
    ensure_first_responder(s, c, k, now);
    store::execute(s, "UPDATE cases SET green = 1, green_reason = ?, green_by = ?, green_at = ?, updated_at = ? WHERE id = ?",
                   B({reason, me, now, now, k.id}));
    if (due_new) store::execute(s, "UPDATE cases SET due_at = ? WHERE id = ?", B({*due_new, k.id}));
    store::add_event(s, k.id, now, "green_channel", me, c.principal.name,
                     json::object{{"reason", reason}, {"due_at", iso(due_new)}}, true);
    auth::audit(s, c, "case.green", "case", std::to_string(k.id),
                json::object{{"reason", reason}, {"due_at", iso(due_new)}, {"previous_due_at", iso(k.due_at)}});
  });
  return get(c, id);
}

// ===========================================================================
// Follow-ups (B6.1)

json::object CaseService::followups(const auth::Caller& c, const std::string& scope) const {
  auth::require(c.principal, "cases.handle");
  long long now = Clock::now(), me = c.principal.user_id;
  std::string where;
  Binds b;
  if (scope.empty() || scope == "mine") {
    where = "WHERE f.assignee_id = ? AND f.status = 'open'";
    b.push_back(me);
  } else if (scope == "overdue") {
    if (!oversees(c)) throw forbidden();
    where = "WHERE f.status = 'open' AND f.due_at < ?";
    b.push_back(now);
  } else if (scope == "open") {
    if (!oversees(c)) throw forbidden();
    where = "WHERE f.status = 'open'";
  } else {
    throw bad_request("invalid_scope", {"scope 应为 mine、open 或 overdue", "scope must be mine, open or overdue"}, "scope");
  }
  return deps_.db->read([&](soci::session& s) {
    json::array items;
    for (const auto& f : store::followups(s, where, b, "ORDER BY c.green DESC, f.due_at, f.id LIMIT 500"))
      items.push_back(followup_json(f, now, false, deps_.config.utc_offset_minutes));
    return json::object{{"items", items}};
  });
}

json::object CaseService::reply_followup(const auth::Caller& c, std::int64_t followup_id, const json::value& body) {
  auth::require(c.principal, "cases.handle");
  JsonFields f(body);
  std::string agreed = f.required_string("agreed", 1000);
  std::string reply = f.required_string("reply", 1000);
  f.finish();
  check_text(agreed, "agreed", 1000);
  check_text(reply, "reply", 1000);
  if (blank(agreed))
    throw bad_request("missing_field", {"请记录与经办处室商定的结果", "Record what was agreed with the office"}, "agreed");
  if (blank(reply)) throw bad_request("missing_field", {"请填写给学生的答复", "Write the reply to the student"}, "reply");
  long long now = Clock::now(), me = c.principal.user_id;
  long long case_id = deps_.db->write([&](soci::session& s) {
    auto list = store::followups(s, "WHERE f.id = ?", B({followup_id}), "");
    if (list.empty()) throw not_found("followup_not_found", {"找不到该跟进任务", "No such follow-up"});
    const auto& fu = list.front();
    if (fu.assignee_id != me && !oversees(c))
      throw forbidden({"跟进由首问责任人负责", "The first responder handles this follow-up"});
    if (fu.status != "open") throw conflict("followup_done", {"该跟进已答复", "This follow-up was already answered"});
    polite(deps_, s, c, agreed, "cases.followup", "agreed");
    polite(deps_, s, c, reply, "cases.followup", "reply");
    store::execute(s,
                   "UPDATE case_followups SET status = 'done', agreed = ?, reply = ?, replied_at = ?, replied_by = ? "
                   "WHERE id = ? AND status = 'open'",
                   B({agreed, reply, now, me, followup_id}));
    store::add_event(s, fu.case_id, now, "followup_reply", me, c.principal.name,
                     json::object{{"followup_id", fu.id}, {"agreed", agreed}, {"reply", reply}, {"late", now > fu.due_at}},
                     true);
    touch(s, fu.case_id, now);
    auth::audit(s, c, "case.followup_reply", "case", std::to_string(fu.case_id),
                json::object{{"followup_id", fu.id}, {"late", now > fu.due_at}});
    return fu.case_id;
  });
  return get(c, case_id);
}

// ===========================================================================
// Oversight and statistics (B5, B6.2, B6.3, D4)

json::object CaseService::oversight(const auth::Caller& c) const {
  auth::require(c.principal, "cases.oversee");
  long long now = Clock::now();
  return deps_.db->read([&](soci::session& s) {
    json::array at_risk, overdue, breaches, late_followups;
    for (const auto& k : store::list_cases(s, "WHERE c.accepted_at IS NOT NULL AND c.status NOT IN ('completed', 'refused', 'referred')",
                                           {}, "ORDER BY c.green DESC, c.due_at")) {
      auto p = progress_of(deps_, k, now);
      if (!p) continue;
      if (p->overdue) overdue.push_back(case_json(deps_, c, k, now));
      else if (p->warning == Warning::eighty || p->warning == Warning::due) at_risk.push_back(case_json(deps_, c, k, now));
    }
    // Completed late in the last 30 days, with their reasons (B5: every miss visible).
    json::array completed_late;
    for (const auto& k : store::list_cases(s, "WHERE c.status = 'completed' AND c.completed_at > c.due_at AND c.completed_at >= ?",
                                           B({now - 30LL * 86400 * 1000}), "ORDER BY c.completed_at DESC LIMIT 200"))
      completed_late.push_back(case_json(deps_, c, k, now));
    store::query(s,
                 "SELECT n.id, n.case_id, c.case_no, n.notice_no, n.issued_at, n.staff_id, n.staff_name, n.breach_detail, c.green "
                 "FROM case_notices n JOIN cases c ON c.id = n.case_id WHERE n.breach = 1 ORDER BY c.green DESC, n.issued_at DESC LIMIT 200",
                 {}, [&](const soci::row& r) {
                   breaches.push_back(json::object{{"notice_id", col_i64(r, 0)},
                                                   {"case_id", col_i64(r, 1)},
                                                   {"case_no", col_str(r, 2)},
                                                   {"notice_no", col_str(r, 3)},
                                                   {"issued_at", iso8601_utc(col_i64(r, 4))},
                                                   {"staff", json::object{{"id", col_i64(r, 5)}, {"name", col_str(r, 6)}}},
                                                   {"detail", col_str(r, 7)},
                                                   {"green", col_i64(r, 8) != 0}});
                 });
    for (const auto& f : store::followups(s, "WHERE f.status = 'open' AND f.due_at < ?", B({now}), "ORDER BY c.green DESC, f.due_at"))
      late_followups.push_back(followup_json(f, now, false, deps_.config.utc_offset_minutes));
    return json::object{{"at_risk", at_risk},
                        {"overdue", overdue},
                        {"completed_late", completed_late},
                        {"breaches", breaches},
                        {"overdue_followups", late_followups}};
  });
}

json::object CaseService::stats(const auth::Caller& c, const StatsQuery& q) const {
  auth::require(c.principal, "cases.handle");
  if (!oversees(c) && (!q.staff_id || *q.staff_id != c.principal.user_id))
    throw forbidden({"只能查看本人的办件统计", "You may only see your own figures"});
  int off = deps_.config.utc_offset_minutes;
  long long now = Clock::now();
  auto day_start = [&](const std::string& d, const char* field) {
    auto date = calendar::Date::parse(d, field);
    return (static_cast<long long>(date.serial()) * 86400 - off * 60LL) * 1000;
  };
  long long from = q.from ? day_start(*q.from, "from") : now - 30LL * 86400 * 1000;
  long long to = q.to ? day_start(*q.to, "to") + 86400LL * 1000 : now + 1;
  if (to <= from) throw bad_request("invalid_range", {"结束日期不能早于开始日期", "to must not be before from"}, "to");
  std::optional<long long> staff = q.staff_id;
  return deps_.db->read([&](soci::session& s) {
    auto staff_cond = [&](const char* col) { return staff ? std::string(" AND ") + col + " = ?" : std::string(); };
    auto with_staff = [&](Binds b) {
      if (staff) b.push_back(*staff);
      return b;
    };
    long long opened = count_of(s, "SELECT COUNT(*) FROM cases WHERE created_at >= ? AND created_at < ?" +
                                       staff_cond("first_responder_id"), with_staff(B({from, to})));
    long long completed = count_of(s, "SELECT COUNT(*) FROM cases WHERE status = 'completed' AND completed_at >= ? AND completed_at < ?" +
                                          staff_cond("handler_id"), with_staff(B({from, to})));
    long long late = count_of(s, "SELECT COUNT(*) FROM cases WHERE status = 'completed' AND completed_at >= ? AND completed_at < ? "
                                 "AND completed_at > due_at" + staff_cond("handler_id"), with_staff(B({from, to})));
    // Open cases past due now count against the on-time rate too (B5: 100% is the target).
    long long overdue_open = 0;
    json::array late_cases;
    for (const auto& k : store::list_cases(s, "WHERE c.accepted_at IS NOT NULL AND c.status IN ('processing', 'waiting_materials')" +
                                                  std::string(staff ? " AND c.handler_id = ?" : ""),
                                           staff ? B({*staff}) : Binds{}, "ORDER BY c.due_at")) {
      auto p = progress_of(deps_, k, now);
      if (p && p->overdue) {
        ++overdue_open;
        late_cases.push_back(json::object{{"case_id", k.id}, {"case_no", k.case_no}, {"status", k.status},
                                          {"due_at", iso(k.due_at)}, {"reason", k.overdue_reason}});
      }
    }
    store::query(s, "SELECT id, case_no, due_at, completed_at, overdue_reason FROM cases WHERE status = 'completed' AND "
                    "completed_at >= ? AND completed_at < ? AND completed_at > due_at" + staff_cond("handler_id") + " ORDER BY completed_at",
                 with_staff(B({from, to})), [&](const soci::row& r) {
                   late_cases.push_back(json::object{{"case_id", col_i64(r, 0)}, {"case_no", col_str(r, 1)},
                                                     {"status", "completed"}, {"due_at", iso8601_utc(col_i64(r, 2))},
                                                     {"completed_at", iso8601_utc(col_i64(r, 3))}, {"reason", col_str(r, 4)}});
                 });
    long long notices = count_of(s, "SELECT COUNT(*) FROM case_notices WHERE issued_at >= ? AND issued_at < ?" +
                                        staff_cond("staff_id"), with_staff(B({from, to})));
    long long breaches = count_of(s, "SELECT COUNT(*) FROM case_notices WHERE breach = 1 AND issued_at >= ? AND issued_at < ?" +
                                         staff_cond("staff_id"), with_staff(B({from, to})));
    long long referrals = count_of(s, "SELECT COUNT(*) FROM case_referrals WHERE created_at >= ? AND created_at < ?" +
                                          staff_cond("created_by"), with_staff(B({from, to})));
    long long fu_total = count_of(s, "SELECT COUNT(*) FROM case_followups WHERE reported_at >= ? AND reported_at < ?" +
                                         staff_cond("assignee_id"), with_staff(B({from, to})));
    long long fu_late = count_of(s, "SELECT COUNT(*) FROM case_followups WHERE reported_at >= ? AND reported_at < ? AND "
                                    "((status = 'open' AND due_at < ?) OR (status = 'done' AND replied_at > due_at))" +
                                        staff_cond("assignee_id"), with_staff(B({from, to, now})));
    long long green = count_of(s, "SELECT COUNT(*) FROM cases WHERE green = 1 AND green_at >= ? AND green_at < ?" +
                                      staff_cond("green_by"), with_staff(B({from, to})));
    long long judged = completed + overdue_open;
    json::value rate = judged ? json::value(std::round(1000.0 * (completed - late) / judged) / 1000) : json::value(nullptr);
    return json::object{{"from", iso8601_utc(from)},
                        {"to", iso8601_utc(to)},
                        {"staff_id", staff ? json::value(*staff) : json::value(nullptr)},
                        {"opened", opened},
                        {"completed", completed},
                        {"completed_on_time", completed - late},
                        {"completed_late", late},
                        {"overdue_open", overdue_open},
                        {"on_time_rate", rate},
                        {"late_cases", late_cases},
                        {"notices", notices},
                        {"breaches", breaches},
                        {"referrals", referrals},
                        {"followups", fu_total},
                        {"followups_late", fu_late},
                        {"green", green}};
  });
}

json::object CaseService::contacts(const auth::Caller& c, const std::string& text) const {
  auth::require(c.principal, "cases.handle");
  std::string like = "%" + text + "%";
  return deps_.db->read([&](soci::session& s) {
    json::array catalog, staff;
    // B6.1: the referral contacts the catalog names (current versions), one row per contact.
    std::map<std::tuple<std::string, std::string, std::string, std::string>, json::array> seen;
    store::query(s,
                 "SELECT v.contact_office, v.contact_person, v.contact_phone, v.contact_location, v.name FROM catalog_items i "
                 "JOIN catalog_item_versions v ON v.id = i.current_version_id WHERE v.contact_person <> '' AND "
                 "(v.contact_office LIKE ? OR v.contact_person LIKE ? OR v.name LIKE ?) ORDER BY v.contact_office, v.contact_person",
                 B({like, like, like}), [&](const soci::row& r) {
                   seen[{col_str(r, 0), col_str(r, 1), col_str(r, 2), col_str(r, 3)}].push_back(json::value(col_str(r, 4)));
                 });
    for (auto& [k, items] : seen)
      catalog.push_back(json::object{{"office", std::get<0>(k)}, {"handler", std::get<1>(k)}, {"phone", std::get<2>(k)},
                                     {"location", std::get<3>(k)}, {"items", items}});
    store::query(s,
                 "SELECT u.id, u.name, COALESCE(st.phone, ''), COALESCE(un.name, ''), COALESCE(un.location, ''), u.role "
                 "FROM users u JOIN staff st ON st.user_id = u.id LEFT JOIN units un ON un.id = st.unit_id "
                 "WHERE u.disabled = 0 AND u.role <> 'student' AND (u.name LIKE ? OR un.name LIKE ?) ORDER BY un.name, u.name LIMIT 200",
                 B({like, like}), [&](const soci::row& r) {
                   staff.push_back(json::object{{"id", col_i64(r, 0)}, {"name", col_str(r, 1)}, {"phone", col_str(r, 2)},
                                                {"office", col_str(r, 3)}, {"location", col_str(r, 4)}, {"role", col_str(r, 5)}});
                 });
    return json::object{{"catalog", catalog}, {"staff", staff}};
  });
}

}  // namespace hall::cases
