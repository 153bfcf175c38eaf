#include "cases/views.hpp"

#include <cmath>

#include "calendar/service.hpp"
#include "core/clock.hpp"

namespace hall::cases {

namespace {

std::string text_of(const Text& t, bool english) { return t.in(english); }

}  // namespace

json::value iso(const std::optional<long long>& ms) {
  return ms ? json::value(iso8601_utc(*ms)) : json::value(nullptr);
}
json::value opt_id(const std::optional<long long>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

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
  std::optional<Instant> finished =
      k.completed_at ? std::optional(instant(*k.completed_at)) : std::nullopt;
  if (k.st() == Status::refused && !finished) finished = instant(k.updated_at);
  return progress(*cal, instant(*k.accepted_at), instant(*k.due_at), k.paused_seconds, paused,
                  finished, instant(now));
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
      {"ticket_number",
       k.ticket_number.empty() ? json::value(nullptr) : json::value(k.ticket_number)},
      {"student", k.student_id ? json::value(json::object{{"id", *k.student_id},
                                                          {"name", k.student_name},
                                                          {"student_no", k.student_no}})
                               : json::value(nullptr)},
      {"caller", json::object{{"name", k.caller_name},
                              {"phone", k.caller_phone},
                              {"student_no", k.caller_student_no}}},
      {"summary", k.summary},
      {"item", k.item_id
                   ? json::value(json::object{
                         {"id", *k.item_id},
                         {"code", k.item_code},
                         {"name", en && !k.item_name_en.empty() ? k.item_name_en : k.item_name},
                         {"version_id", opt_id(k.item_version_id)}})
                   : json::value(nullptr)},
      {"status", to_string(st)},
      {"status_text", text_of(status_text(st), en)},
      {"first_responder", k.first_responder_id
                              ? json::value(json::object{{"id", *k.first_responder_id},
                                                         {"name", k.first_responder_name}})
                              : json::value(nullptr)},
      {"handler", k.handler_id
                      ? json::value(json::object{{"id", *k.handler_id}, {"name", k.handler_name}})
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
                      {"mark_text", m.m.mark ? json::value(text_of(mark_text(*m.m.mark), en))
                                             : json::value(nullptr)},
                      {"correction", m.m.correction},
                      {"marked_at", iso(m.marked_at)},
                      {"changed_at", iso(m.changed_at)}};
}

// The six parts of B6.2, as the notice shows them.
json::object notice_parts(const std::vector<NoticeMaterial>& mats, bool outside_remit,
                          const std::string& limit, const std::string& refusal, bool en) {
  json::array required, missing, defective;
  for (const auto& m : mats) {
    if (m.mark == Mark::not_applicable) continue;
    required.push_back(json::value(m.name));
    if (m.mark == Mark::missing) missing.push_back(json::value(m.name));
    if (m.mark == Mark::defective)
      defective.push_back(json::object{{"name", m.name}, {"correction", m.correction}});
  }
  return json::object{{"outside_remit", outside_remit},  // (1)
                      {"materials_required", required},  // (2)
                      {"application_limit", limit},      // (3)
                      {"missing", missing},              // (4)
                      {"defective", defective},          // (5)
                      {"refusal_reason", refusal}};      // (6)
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
                 {"parts", notice_parts(n.materials, n.outside_remit, n.application_limit,
                                        n.refusal_reason, en)},
                 {"remarks", n.remarks},
                 {"document_id", opt_id(n.document_id)}};
  if (!student) {
    o["breach"] = n.breach;
    o["breach_detail"] = n.breach_detail;
  }
  return o;
}

json::object referral_json(const store::ReferralRow& r) {
  return json::object{
      {"id", r.id},
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

json::object followup_json(const store::Followup& f, long long now, bool student,
                           int offset_minutes) {
  json::object o{
      {"id", f.id},
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
      {"due_today", f.status == "open" &&
                        local_date(f.due_at, offset_minutes) == local_date(now, offset_minutes)}};
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
  return json::object{{"id", e.id},       {"at", iso8601_utc(e.at)},
                      {"kind", e.kind},   {"actor", e.actor_name},
                      {"detail", detail}, {"public", e.is_public}};
}

}  // namespace hall::cases
