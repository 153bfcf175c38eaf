// B6.2 one-time notification (一次性告知制): the materials checklist is marked, the notice tells

#include "cases/errors.hpp"
#include "core/errors.hpp"
// at once everything missing or defective (its six parts), a later notice asking for something not
// asked before is a breach; the student brings the materials back.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "calendar/service.hpp"
#include "cases/access.hpp"
#include "cases/documents.hpp"
#include "cases/service.hpp"
#include "cases/store.hpp"
#include "cases/views.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "db/database.hpp"

namespace hall::cases {

using store::col_i64;
using store::col_opt_i64;
using store::col_str;

json::object CaseService::notice(const auth::Caller& c, std::int64_t case_id,
                                 std::int64_t notice_id) const {
  return deps_.db->read([&](soci::session& s) {
    auto k = case_or_404(s, case_id);
    require_visible(c, k);
    for (const auto& n : store::notices(s, k.id))
      if (n.id == notice_id) {
        json::object o = notice_json(n, c.english, c.principal.is_student());
        o["case_no"] = k.case_no;
        o["student"] =
            k.student_id
                ? json::value(json::object{{"name", k.student_name}, {"student_no", k.student_no}})
                : json::value(
                      json::object{{"name", k.caller_name}, {"student_no", k.caller_student_no}});
        return o;
      }
    throw errors::notice_not_found();
  });
}

json::object CaseService::mark(const auth::Caller& c, std::int64_t id, const MarksInput& marks) {
  if (marks.marks.empty())
    throw errors::marks_required("marks");
  const std::vector<MarkInput>& in = marks.marks;
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
      if (it == by_id.end()) throw errors::unknown_material(x.field + ".material_id");
      MaterialMark mm = it->second;
      mm.mark = x.mark;
      mm.correction = x.mark == Mark::defective ? x.correction : "";
      check_mark(mm, x.field);
      polite(deps_, s, c, mm.correction, "cases.materials", x.field + ".correction");
      std::string mark_s(to_string(x.mark));
      long long me = c.principal.user_id;
      store::mark_material(s, k.id, x.material_id, mark_s, mm.correction, me, now);
      changed.push_back(json::object{{"name", mm.name}, {"mark", mark_s}});
    }
    store::add_event(s, k.id, now, "materials_marked", c.principal.user_id, c.principal.name,
                     json::object{{"materials", changed}}, false);
    touch(s, k.id, now);
    auth::audit(s, c, "case.mark", "case", std::to_string(k.id),
                json::object{{"materials", changed}});
  });
  return get(c, id);
}

json::object CaseService::preview_notice(const auth::Caller& c, std::int64_t id,
                                         const NoticeInput& in) const {
  return deps_.db->read([&](soci::session& s) {
    auto k = case_or_404(s, id);
    require_visible(c, k);
    if (c.principal.is_student()) throw forbidden();
    require_item(k);
    auto rows = store::materials(s, k.id);
    auto left = unmarked(marks_of(rows));
    std::vector<NoticeMaterial> mats;
    for (const auto& r : rows)
      mats.push_back(
          {r.m.material_id, r.m.name, r.m.mark.value_or(Mark::provided), r.m.correction});
    std::string limit =
        in.application_limit.value_or(application_limit_text(s, *k.item_version_id, c.english));
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
        breach.push_back(
            json::object{{"material_id", b.material_id}, {"name", b.name}, {"reason", b.reason}});
    }
    return json::object{
        {"ready", left.empty()},
        {"unmarked", left_json},
        {"would_breach", breach},
        {"parts", notice_parts(mats, in.outside_remit, limit, in.refusal_reason, c.english)},
        {"remarks", in.remarks},
        {"staff", c.principal.name},
        {"case_no", k.case_no},
        {"item_name", k.item_name}};
  });
}

json::object CaseService::issue_notice(const auth::Caller& c, std::int64_t id,
                                       const NoticeInput& in) {
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
    if (in.application_limit)
      polite(deps_, s, c, *in.application_limit, "cases.notice", "application_limit");
    ensure_first_responder(s, c, k, now);
    std::string limit =
        in.application_limit.value_or(application_limit_text(s, *k.item_version_id, false));

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
    store::Notice n;
    n.case_id = k.id;
    n.seq = seq;
    n.notice_no = no;
    n.issued_at = now;
    n.staff_id = me;
    n.staff_name = staff_name;
    n.item_name = k.item_name;
    n.outside_remit = outside != 0;
    n.application_limit = limit;
    n.refusal_reason = in.refusal_reason;
    n.remarks = in.remarks;
    n.breach = is_breach != 0;
    n.breach_detail = detail;
    std::vector<std::pair<MaterialMark, int>> issued;
    for (const auto& r : rows) issued.emplace_back(r.m, r.position);
    long long nid = store::insert_notice(s, n, issued);
    Status st = k.st();
    if (!blank(in.refusal_reason)) {
      // (6) refused: the case ends here; a running pause ends with it.
      store::refuse(s, k.id, now);
    } else if (requests) {
      // (4), (5): waiting for the student's materials; an accepted case's clock stops (B6.3).
      std::string resume(to_string(
          st == Status::waiting_materials
              ? parse_status(k.resume_status.value_or("received")).value_or(Status::received)
              : st));
      store::wait_for_materials(s, k.id, resume);
      if (k.accepted_at && !k.paused_at) {
        store::pause_clock(s, k.id, now);
        store::add_event(s, k.id, now, "clock_paused", me, c.principal.name, json::object{}, true);
      }
    }
    if (is_breach) {
      store::set_one_time_breach(s, k.id);
      store::add_event(s, k.id, now, "one_time_breach", me, c.principal.name,
                       json::object{{"notice_no", no}, {"detail", detail}}, false);
    }
    touch(s, k.id, now);
    store::add_event(s, k.id, now, "notice_issued", me, c.principal.name,
                     json::object{{"notice_id", nid}, {"notice_no", no}}, true);
    // The printable notice (一次性告知书) from its template, when the case has a student.
    if (auto doc = issue_notice_document(deps_, s, c, k, nid))
      store::set_notice_document(s, nid, *doc);
    auth::audit(
        s, c, "case.notice", "case", std::to_string(k.id),
        json::object{
            {"notice_no", no}, {"breach", is_breach != 0}, {"refused", !blank(in.refusal_reason)}});
    return nid;
  });
  json::object out = get(c, id);
  out["issued_notice_id"] = notice_id;
  return out;
}

json::object CaseService::resubmit(const auth::Caller& c, std::int64_t id,
                                   const ResubmitInput& in) {
  const std::set<std::int64_t>& wanted = in.material_ids;
  const std::string& note = in.note;
  long long now = Clock::now(), me = c.principal.user_id;
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    if (c.principal.is_student())
      require_visible(c, k);
    else
      require_actor(s, c, k);
    check_action(Action::resubmit, k.st());
    auto rows = store::materials(s, k.id);
    std::set<long long> on_list;
    for (const auto& r : rows) on_list.insert(r.m.material_id);
    for (long long w : wanted)
      if (!on_list.count(w)) throw errors::unknown_material("material_ids");
    // What was asked (missing/defective) unless the request names what was brought.
    json::array brought;
    for (const auto& r : rows) {
      bool take = wanted.empty() ? (r.m.mark && is_requested(*r.m.mark))
                                 : wanted.count(r.m.material_id) > 0;
      if (!take) continue;
      // Brought again: to be checked again before acceptance.
      store::material_brought(s, k.id, r.m.material_id, now);
      brought.push_back(json::value(r.m.name));
    }
    Status back = parse_status(k.resume_status.value_or("received")).value_or(Status::received);
    std::string back_s(to_string(back));
    store::resume_status(s, k.id, back_s);
    json::object detail{{"materials", brought}, {"note", note}};
    if (k.paused_at && k.due_at) {
      // B6.3: the clock resumes; the due instant moves by exactly the paused working time.
      auto cal = deps_.calendar->for_hall(k.hall_id);
      std::int64_t paused = 0;
      Instant due =
          resume_due(*cal, instant(*k.due_at), instant(*k.paused_at), instant(now), &paused);
      long long due_ms = millis(due), paused_s = paused;
      long long provisional =
          k.due_provisional || cal->provisional_between(instant(*k.paused_at), due);
      store::resume_clock(s, k.id, now, due_ms, paused_s, provisional != 0);
      detail["paused_seconds"] = paused;
      detail["due_at"] = iso8601_utc(due_ms);
    }
    store::add_event(s, k.id, now, "materials_resubmitted", me, c.principal.name, detail, true);
    touch(s, k.id, now);
    auth::audit(s, c, "case.resubmit", "case", std::to_string(k.id), detail);
  });
  return get(c, id);
}

}  // namespace hall::cases
