// Intake: a case opened at a window, by phone or walk-in (cases.handle), or applied for online by a

#include "cases/errors.hpp"
#include "core/errors.hpp"
// student; edited, received (B6.1: the first responder, once) and assigned to a handler.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "auth/store.hpp"
#include "calendar/service.hpp"
#include "org/store.hpp"
#include "cases/access.hpp"
#include "cases/documents.hpp"
#include "cases/service.hpp"
#include "cases/store.hpp"
#include "cases/views.hpp"
#include "catalog/store.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "db/database.hpp"
#include "queue/store.hpp"

namespace hall::cases {

using store::col_i64;
using store::col_opt_i64;
using store::col_str;

// ===========================================================================
// Intake

json::object CaseService::intake(const auth::Caller& c, const IntakeInput& in) {
  auth::require(c.principal, "cases.handle");
  const Channel ch = in.channel;
  const auto& ticket_id = in.ticket_id;
  const auto& item_id = in.item_id;
  const auto& student_no = in.student_no;
  const std::string& caller_name = in.caller_name;
  const std::string& caller_phone = in.caller_phone;
  const std::string& summary = in.summary;
  const auto& hall_in = in.hall_id;
  if (ch == Channel::phone) {
    if (blank(caller_name))
      throw errors::caller_name_required("caller_name");
    std::string digits;
    for (char x : caller_phone)
      if (isdigit(static_cast<unsigned char>(x)))
        digits += x;
      else if (x != '-' && x != ' ' && x != '+')
        throw errors::invalid_phone.with("caller_phone", "caller_phone");
    if (digits.size() < 5 && !caller_phone.empty()) throw errors::invalid_phone.with("caller_phone", "caller_phone");
    if (digits.size() < 5)
      throw errors::caller_phone_required("caller_phone");
  }
  if (ch != Channel::ticket && blank(summary))
    throw errors::summary_required("summary");
  if (ch == Channel::ticket && !ticket_id)
    throw errors::ticket_required("ticket_id");
  if (ch == Channel::walk_in && !student_no && blank(caller_name))
    throw errors::visitor_required("student_no");

  long long now = Clock::now();
  long long me = c.principal.user_id;
  long long id = deps_.db->write([&](soci::session& s) {
    std::optional<long long> student, item, version, ticket;
    long long hall = hall_in ? *hall_in : 0;
    if (ch == Channel::ticket) {
      // A case opened from a finished ticket at a window: the ticket's student, item and version.
      auto t = queue::store::find_ticket(s, *ticket_id, false);
      if (!t) throw errors::unknown_ticket("ticket_id");
      student = t->student_id;
      item = t->item_id;
      version = t->item_version_id;
      hall = t->hall_id;
      if (t->status != queue::Status::done) throw errors::ticket_not_finished("ticket_id");
      if (store::ticket_has_case(s, *ticket_id)) throw errors::case_exists("ticket_id");
      if (item_id && *item_id != *item) std::tie(item, version) = item_version(s, *item_id);
      ticket = ticket_id;
    } else {
      if (student_no && !student_no->empty())
        student = resolve_student_no(s, *student_no, "student_no");
      if (item_id) std::tie(item, version) = item_version(s, *item_id);
    }
    if (!hall) hall = default_hall(deps_);
    if (!org::store::find_hall(s, hall)) throw errors::unknown_hall("hall_id");
    std::string s_summary = summary;
    if (blank(s_summary) && version) s_summary = version_name(s, *version);
    long long cid = insert_case(deps_, s, hall, ch, ticket, student, caller_name, caller_phone,
                                student_no.value_or(""), s_summary, item, version, me, me, now);
    // B6.1: the staff member who received it is its first responder, recorded once.
    store::add_event(
        s, cid, now, "opened", me, c.principal.name,
        json::object{{"channel", to_string(ch)}, {"first_responder", c.principal.name}}, true);
    auth::audit(
        s, c, "case.open", "case", std::to_string(cid),
        json::object{
            {"channel", to_string(ch)}, {"ticket_id", opt_id(ticket)}, {"item_id", opt_id(item)}});
    return cid;
  });
  return get(c, id);
}

json::object CaseService::apply_online(const auth::Caller& c, const ApplyInput& in) {
  if (!c.principal.is_student()) throw errors::students_apply_online();
  long long item_id = in.item_id;
  std::string summary = in.summary;
  long long now = Clock::now(), me = c.principal.user_id;
  long long id = deps_.db->write([&](soci::session& s) {
    auto [item, version] = item_version(s, item_id);
    auto it = catalog::store::find_item(s, item);
    if (it && it->suspended) throw errors::item_suspended("item_id");
    if (blank(summary)) summary = version_name(s, version);
    long long cid =
        insert_case(deps_, s, default_hall(deps_), Channel::online, std::nullopt, me,
                    c.principal.name, "", "", summary, item, version, std::nullopt, me, now);
    store::add_event(s, cid, now, "opened", me, c.principal.name,
                     json::object{{"channel", "online"}}, true);
    auth::audit(s, c, "case.apply", "case", std::to_string(cid), json::object{{"item_id", item}});
    return cid;
  });
  return get(c, id);
}

// ===========================================================================
// Writes on a case

json::object CaseService::edit(const auth::Caller& c, std::int64_t id, const EditInput& in) {
  const auto& item_id = in.item_id;
  const auto& summary = in.summary;
  if (summary && blank(*summary))
    throw errors::summary_required("summary");
  long long now = Clock::now();
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::edit, k.st());
    ensure_first_responder(s, c, k, now);
    if (item_id && (!k.item_id || *item_id != *k.item_id)) {
      // The checklist follows the item version; after a notice the version is fixed (B6.2).
      if (store::notice_count(s, k.id)) throw errors::notice_issued("item_id");
      auto [item, version] = item_version(s, *item_id);
      store::set_item(s, k.id, item, version);
      store::clear_materials(s, k.id);
      store::copy_materials(s, k.id, version);
      store::add_event(s, k.id, now, "item_set", c.principal.user_id, c.principal.name,
                       json::object{{"item_id", item}, {"version_id", version}}, true);
    }
    if (summary) store::set_summary(s, k.id, *summary);
    touch(s, k.id, now);
    auth::audit(s, c, "case.edit", "case", std::to_string(k.id),
                json::object{{"item_id", opt_id(item_id)}});
  });
  return get(c, id);
}

json::object CaseService::receive(const auth::Caller& c, std::int64_t id) {
  auth::require(c.principal, "cases.handle");
  long long now = Clock::now();
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    if (k.first_responder_id) throw errors::already_received.with("", k.first_responder_name);
    ensure_first_responder(s, c, k, now);
    touch(s, k.id, now);
    auth::audit(s, c, "case.receive", "case", std::to_string(k.id));
  });
  return get(c, id);
}

json::object CaseService::assign(const auth::Caller& c, std::int64_t id, const AssignInput& in) {
  long long handler = in.handler_id;
  long long now = Clock::now();
  deps_.db->write([&](soci::session& s) {
    auto k = case_or_404(s, id, true);
    require_actor(s, c, k);
    check_action(Action::assign, k.st());
    auto user = auth::store::find_user(s, handler);
    if (!user || user->disabled || !auth::role_has(user->role, "cases.handle"))
      throw errors::unknown_handler("handler_id");
    const std::string& name = user->name;
    ensure_first_responder(s, c, k, now);
    store::set_handler(s, k.id, handler, now);
    store::add_event(s, k.id, now, "assigned", c.principal.user_id, c.principal.name,
                     json::object{{"handler", name}}, true);
    auth::audit(s, c, "case.assign", "case", std::to_string(k.id),
                json::object{{"handler_id", handler}});
  });
  return get(c, id);
}

}  // namespace hall::cases
