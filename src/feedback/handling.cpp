// Handling complaints and suggestions (C3): the list, the item, the complainant's identity,
// assigning, investigating, answering, closing, attachments.
#include "feedback/items.hpp"

namespace hall::feedback {

using namespace detail;

json::object FeedbackService::list(const auth::Caller& c, const ListFilter& f) {
  return deps_.db->read([&](soci::session& s) {
    bool oversee = auth::has_permission(c.principal, "feedback.oversee");
    if (!oversee && !is_handler(s, c.principal)) throw forbidden();
    std::string where = " WHERE 1 = 1";
    db::Values b;
    auto eq = [&](const std::string& col, const std::string& v, const char* name) {
      if (v.empty()) return;
      where += " AND " + col + " = :" + name;
      b.push_back(v);
    };
    eq("f.status", f.status, "st");
    eq("f.kind", f.kind, "k");
    eq("f.category", f.category, "c");
    eq("f.channel", f.channel, "ch");
    if (f.mine) {
      where += " AND f.handler_id = :me";
      b.push_back(static_cast<long long>(c.principal.user_id));
    }
    long long now = Clock::now();
    if (f.deadline == "overdue") {
      where +=
          " AND f.status IN ('received','assigned','investigating') AND (f.feedback_due_at < :n1 "
          "OR (f.status = "
          "'received' AND f.ack_due_at < :n2))";
      b.push_back(now);
      b.push_back(now);
    }
    std::vector<Item> items;
    db::query_rows(s, std::string("SELECT ") + kCols + kFrom + where + " ORDER BY f.id DESC", b,
                   [&](const soci::row& r) { items.push_back(read_item(r)); });
    json::array out;
    std::size_t from = static_cast<std::size_t>((f.page - 1) * f.page_size);
    std::size_t total = 0;
    for (auto& it : items) {
      if (f.deadline == "due_soon" &&
          deadline_state(it.status, now, it.ack_due, it.feedback_due) != "due_soon")
        continue;
      if (total >= from && out.size() < static_cast<std::size_t>(f.page_size)) {
        json::object o = staff_json(s, it, false);
        o["about_you"] = concerns(c.principal, it);  // C3: the teacher's, not the caller's
        out.push_back(std::move(o));
      }
      ++total;
    }
    return json::object{
        {"items", out}, {"total", total}, {"page", f.page}, {"page_size", f.page_size}};
  });
}

json::object FeedbackService::get(const auth::Caller& c, std::int64_t id) {
  return deps_.db->read([&](soci::session& s) {
    if (!auth::has_permission(c.principal, "feedback.oversee") && !is_handler(s, c.principal))
      throw forbidden();
    Item it = load_by_id(s, id);
    auto o = staff_json(s, it, true);
    bool about_caller = concerns(c.principal, it);
    o["identity_visible"] = !about_caller;
    // Whether the caller may assign, investigate and answer it (C3: escalated items are the
    // teacher's).
    o["may_handle"] = !about_caller && (!it.escalated || is_teacher(c.principal));
    // Attachments may show who complained: only for those who may see the identity.
    if (about_caller) o["attachments"] = json::array{};
    return o;
  });
}

json::object FeedbackService::identity(const auth::Caller& c, std::int64_t id) {
  // A write: every view of a complainant's identity is audited (C3 anti-retaliation).
  return deps_.db->write([&](soci::session& s) {
    if (!auth::has_permission(c.principal, "feedback.oversee") && !is_handler(s, c.principal))
      throw forbidden();
    Item it = load_by_id(s, id);
    if (!may_see_identity(c.principal, it)) throw about_you();
    std::string name, phone;
    std::optional<std::string> openid;
    s << "SELECT contact_name, contact_phone, wechat_openid FROM feedback_items WHERE id = :i",
        soci::use(it.id), soci::into(name), soci::into(phone), soci::into(openid);
    json::value student = nullptr;
    if (it.student_id) {
      db::Values b{*it.student_id};
      db::query_rows(
          s,
          "SELECT u.id, u.name, st.student_no, co.name, st.class_name, st.phone FROM users u JOIN "
          "students st ON st.user_id = u.id LEFT JOIN colleges co ON co.id = st.college_id WHERE "
          "u.id = :u",
          b, [&](const soci::row& r) {
            student = json::object{{"id", col_i64(r, 0)},         {"name", col_str(r, 1)},
                                   {"student_no", col_str(r, 2)}, {"college_name", col_str(r, 3)},
                                   {"class_name", col_str(r, 4)}, {"phone", col_str(r, 5)}};
          });
    }
    auth::audit(s, c, "feedback.identity_view", "feedback", std::to_string(it.id),
                json::object{{"tracking_no", it.tracking_no}});
    return json::object{{"student", student},
                        {"contact_name", name},
                        {"contact_phone", phone},
                        {"wechat_openid", openid ? json::value(*openid) : json::value(nullptr)}};
  });
}

json::array FeedbackService::handlers(const auth::Caller& c) {
  return deps_.db->read([&](soci::session& s) {
    if (!auth::has_permission(c.principal, "feedback.oversee") && !is_handler(s, c.principal))
      throw forbidden();
    json::array out;
    db::Values b;
    db::query_rows(s,
                   "SELECT u.id, u.name, u.role FROM users u LEFT JOIN staff sf ON sf.user_id = "
                   "u.id WHERE u.disabled = 0 AND "
                   "(u.role IN ('teacher','admin') OR (u.role = 'staff' AND sf.unit_id IN (SELECT "
                   "unit_id FROM windows WHERE "
                   "is_complaints = 1 AND active = 1 AND unit_id IS NOT NULL))) ORDER BY u.id",
                   b, [&](const soci::row& r) {
                     out.push_back(json::object{
                         {"id", col_i64(r, 0)}, {"name", col_str(r, 1)}, {"role", col_str(r, 2)}});
                   });
    return out;
  });
}

namespace {
void require_may_act(FeedbackService& svc, soci::session& s, const auth::Caller& c,
                     const Item& it) {
  if (!svc.is_handler(s, c.principal)) throw forbidden();
  // Escalated (disputed) items are the responsible teacher's (C3).
  if (it.escalated && !is_teacher(c.principal)) throw errors::escalated_to_teacher();
  if (concerns(c.principal, it)) throw about_you();
}
}  // namespace

json::object FeedbackService::assign(const auth::Caller& c, std::int64_t id,
                                     std::optional<std::int64_t> handler_id) {
  long long handler = handler_id.value_or(c.principal.user_id);
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    Item it = load_by_id(s, id);
    require_may_act(*this, s, c, it);
    auto next = next_status(it.status, Action::assign, it.disputed);
    if (!next) throw errors::invalid_transition();
    // The handler must be a complaint handler too, and neither the person complained about nor of
    // the unit concerned.
    auth::Principal p;
    p.kind = auth::PrincipalKind::user;
    p.user_id = handler;
    std::optional<long long> unit;
    soci::indicator ind;
    s << "SELECT u.role, sf.unit_id FROM users u LEFT JOIN staff sf ON sf.user_id = u.id WHERE "
         "u.id = :u AND u.disabled = 0",
        soci::use(handler), soci::into(p.role, ind), soci::into(unit);
    if (!s.got_data()) throw errors::unknown_handler("handler_id");
    p.unit_id = unit.value_or(0);
    if (concerns(p, it)) throw errors::handler_is_target("handler_id");
    if (!is_handler(s, p) || (it.escalated && !is_teacher(p)))
      throw errors::not_a_handler("handler_id");
    std::string status = it.status == "investigating" ? "investigating" : *next;
    s << "UPDATE feedback_items SET status = :s, handler_id = :h, acknowledged_at = "
         "COALESCE(acknowledged_at, :t) "
         "WHERE id = :i",
        soci::use(status), soci::use(handler), soci::use(now), soci::use(it.id);
    add_event(s, it.id, c, "assigned", "", now);
    auth::audit(s, c, "feedback.assign", "feedback", std::to_string(it.id),
                json::object{{"handler_id", handler}});
    return staff_json(s, load_by_id(s, it.id), true);
  });
}

json::object FeedbackService::start(const auth::Caller& c, std::int64_t id) {
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    Item it = load_by_id(s, id);
    require_may_act(*this, s, c, it);
    auto next = next_status(it.status, Action::start, it.disputed);
    if (!next) throw errors::invalid_transition();
    s << "UPDATE feedback_items SET status = :s WHERE id = :i", soci::use(*next), soci::use(it.id);
    add_event(s, it.id, c, "investigating", "", now);
    auth::audit(s, c, "feedback.start", "feedback", std::to_string(it.id));
    return staff_json(s, load_by_id(s, it.id), true);
  });
}

json::object FeedbackService::answer(const auth::Caller& c, std::int64_t id,
                                     const AnswerInput& in) {
  const std::string &findings = in.findings, &handling = in.handling;
  const std::optional<bool>& upheld = in.upheld;
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    Item it = load_by_id(s, id);
    require_may_act(*this, s, c, it);
    auto next = next_status(it.status, Action::answer, it.disputed);
    if (!next) throw errors::invalid_transition();
    if (it.kind == "complaint" && !upheld) throw errors::missing_field.with("upheld", "upheld");
    // B1 via C3: what handlers write back to the student passes the courtesy check.
    deps_.courtesy->enforce(s, c, findings, "feedback.answer", "findings");
    deps_.courtesy->enforce(s, c, handling, "feedback.answer", "handling");
    std::optional<int> up;
    if (upheld) up = *upheld ? 1 : 0;
    long long handler = c.principal.user_id;
    s << "UPDATE feedback_items SET status = :s, findings = :f, handling = :h, upheld = :u, "
         "answered_at = :t, "
         "handler_id = COALESCE(handler_id, :me), acknowledged_at = COALESCE(acknowledged_at, :t2) "
         "WHERE id = :i",
        soci::use(*next), soci::use(findings), soci::use(handling), soci::use(up), soci::use(now),
        soci::use(handler), soci::use(now), soci::use(it.id);
    add_event(s, it.id, c, "answered", "", now);
    auth::audit(s, c, "feedback.answer", "feedback", std::to_string(it.id),
                json::object{{"upheld", up ? json::value(*up != 0) : json::value(nullptr)}});
    return staff_json(s, load_by_id(s, it.id), true);
  });
}

json::object FeedbackService::close(const auth::Caller& c, std::int64_t id,
                                    const std::string& note) {
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    Item it = load_by_id(s, id);
    if (!is_teacher(c.principal)) throw forbidden();
    auto next = next_status(it.status, Action::close, it.disputed);
    if (!next) throw errors::invalid_transition();
    std::string outcome = "closed_after_dispute";
    s << "UPDATE feedback_items SET status = :s, outcome = :o, closed_at = :t WHERE id = :i",
        soci::use(*next), soci::use(outcome), soci::use(now), soci::use(it.id);
    add_event(s, it.id, c, "closed", note, now);
    auth::audit(s, c, "feedback.close", "feedback", std::to_string(it.id));
    return staff_json(s, load_by_id(s, it.id), true);
  });
}

std::pair<std::string, std::string> FeedbackService::attachment(const auth::Caller& c,
                                                                std::int64_t id, std::int64_t att) {
  return deps_.db->read([&](soci::session& s) {
    if (!auth::has_permission(c.principal, "feedback.oversee") && !is_handler(s, c.principal))
      throw forbidden();
    if (concerns(c.principal, load_by_id(s, id))) throw about_you();
    std::string type, b64;
    long long iid = id, aid = att;
    s << "SELECT content_type, data_b64 FROM feedback_attachments WHERE id = :a AND item_id = :i",
        soci::use(aid), soci::use(iid), soci::into(type), soci::into(b64);
    if (!s.got_data()) throw errors::attachment_not_found();
    return std::make_pair(type, wechat::base64_decode(b64).value_or(std::string()));
  });
}

}  // namespace hall::feedback
