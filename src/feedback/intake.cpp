// Feedback intake (C2): submitting on the web and at the complaints desk, tracking without login,
// the student's own items and their accept/dispute, WeChat binding codes.
#include "feedback/items.hpp"
#include "core/errors.hpp"

namespace hall::feedback {

using namespace detail;

FeedbackService::FeedbackService(Deps& deps)
    : deps_(deps),
      track_by_phone_(kTrackFailuresPerPhone, kHourMs),
      track_by_address_(kTrackFailuresPerAddress, kHourMs),
      bind_by_openid_(kBindFailuresPerOpenid, kHourMs / 4) {}

// One look-up by tracking number and phone (C2). Unknown numbers and wrong
// phones answer alike (404 feedback_not_found) and count as failures of the
// phone number and of the address; past either limit 429 — except that a right
// pair passes the address limit, since many people share a campus address.
std::optional<long long> FeedbackService::track_lookup(soci::session& s,
                                                       const std::string& tracking_no,
                                                       const std::string& phone_digits,
                                                       const std::string& address) {
  long long now = Clock::now();
  std::string phone_key = "phone:" + phone_digits;
  if (!phone_digits.empty())
    if (std::int64_t wait = track_by_phone_.retry_after_ms(phone_key, now); wait > 0)
      throw too_many_lookups(wait);
  std::optional<Item> it;
  std::string stored;
  if (!tracking_no.empty() && tracking_no.size() <= 40)
    it = load(s, "f.tracking_no = :t", {tracking_no});
  if (it) {
    soci::indicator ind;
    s << "SELECT contact_phone FROM feedback_items WHERE id = :i", soci::use(it->id),
        soci::into(stored, ind);
    if (ind != soci::i_ok) stored.clear();
  }
  if (it && !phone_digits.empty() && digits(stored) == phone_digits) return it->id;
  if (std::int64_t wait = track_by_address_.retry_after_ms(address, now); wait > 0)
    throw too_many_lookups(wait);
  if (!phone_digits.empty()) track_by_phone_.record_failure(phone_key, now);
  track_by_address_.record_failure(address, now);
  return std::nullopt;
}

bool FeedbackService::is_handler(soci::session& s, const auth::Principal& p) const {
  if (!auth::has_permission(p, "complaints.handle")) return false;
  if (is_teacher(p)) return true;
  // C2: staff of the unit that staffs the complaints window (window 10) handle complaints.
  if (p.unit_id == 0) return false;
  long long n = 0;
  s << "SELECT COUNT(*) FROM windows WHERE is_complaints = 1 AND active = 1 AND unit_id = :u",
      soci::use(p.unit_id), soci::into(n);
  return n > 0;
}

json::object FeedbackService::create(soci::session& s, const auth::Caller& c,
                                     const std::string& kind, const std::string& category,
                                     const std::string& channel, const std::string& content,
                                     std::optional<long long> student, const std::string& name,
                                     const std::string& phone, std::optional<std::string> openid,
                                     const json::object* target, const json::array* attachments,
                                     long long now) {
  std::optional<long long> unit, college, window, staff;
  if (target) {
    JsonFields t{json::value(*target)};
    auto fk = [&](const char* key, const char* table, std::optional<long long>& out) {
      out = t.optional_int(key, 1);
      if (!out) return;
      long long n = 0;
      std::string sql = std::string("SELECT COUNT(*) FROM ") + table + " WHERE id = :id";
      if (std::string(table) == "users") sql += " AND role <> 'student'";
      s << sql, soci::use(*out), soci::into(n);
      if (n == 0) throw errors::unknown_target(std::string("target.") + key);
    };
    fk("unit_id", "units", unit);
    fk("college_id", "colleges", college);
    fk("window_id", "windows", window);
    fk("staff_id", "users", staff);
    // C2 web portal: the student names "the person at window N" as the public window list showed it
    // (masked, 王*明) by that sitting's id; the server resolves it, so no staff id is ever shown.
    if (auto sitting = t.optional_int("window_session_id", 1)) {
      if (!window) throw errors::missing_field.with("target.window_id", "target.window_id");
      std::optional<long long> sw, sstaff;
      s << "SELECT window_id, staff_id FROM queue_window_sessions WHERE id = :id",
          soci::use(*sitting), soci::into(sw), soci::into(sstaff);
      if (!sw || *sw != *window) throw errors::unknown_target("target.window_session_id");
      if (staff && *staff != *sstaff) throw errors::target_mismatch("target.staff_id");
      staff = sstaff;
    }
    t.finish();
    // A window belongs to a resident unit: naming the window names its unit (statistics by unit).
    if (window && !unit) {
      std::optional<long long> wu;
      s << "SELECT unit_id FROM windows WHERE id = :id", soci::use(*window), soci::into(wu);
      unit = wu;
    }
  }
  struct Att {
    std::string name, type, data;
  };
  std::vector<Att> atts;
  if (attachments) {
    if (attachments->size() > static_cast<std::size_t>(kMaxAttachments))
      throw errors::too_many_attachments("attachments");
    for (std::size_t i = 0; i < attachments->size(); ++i) {
      std::string field = fmt::format("attachments[{}]", i);
      if (!(*attachments)[i].is_object())
        throw hall::errors::wrong_type.with(field, Text{"字段 " + field, "Field " + field}, Text{"对象", "an object"});
      JsonFields a{json::value((*attachments)[i].as_object())};
      Att att;
      att.name = a.required_string("file_name", 100);
      std::string b64 = a.required_string("data_base64", 8 << 20);
      a.finish();
      auto raw = wechat::base64_decode(b64);
      if (!raw) throw errors::invalid_attachment(field);
      if (raw->size() > kMaxAttachmentBytes) throw errors::attachment_too_large(field);
      att.type = sniff_attachment(*raw);
      if (att.type.empty()) throw errors::attachment_type(field);
      att.data = std::move(*raw);
      atts.push_back(std::move(att));
    }
  }
  // C3 deadlines in working days from now.
  auto start = calendar::Instant(std::chrono::seconds(now / 1000));
  long long ack_due =
      deps_.calendar->deadline(0, start, kAckWorkingDays).time_since_epoch().count() * 1000LL;
  long long fb_due =
      deps_.calendar->deadline(0, start, kFeedbackWorkingDays).time_since_epoch().count() * 1000LL;
  std::optional<long long> entered_by;
  if (c.principal.is_user() && !c.principal.is_student()) entered_by = c.principal.user_id;
  std::string date = local_date(now, deps_.config.utc_offset_minutes);
  std::string tracking;
  long long id = 0;
  for (int attempt = 0;; ++attempt) {
    tracking = tracking_number(kind, date, random_bits50());
    long long clash = 0;
    s << "SELECT COUNT(*) FROM feedback_items WHERE tracking_no = :t", soci::use(tracking),
        soci::into(clash);
    if (clash == 0) break;
    if (attempt > 20) throw std::runtime_error("no free tracking number");
  }
  std::string status = "received";
  s << "INSERT INTO feedback_items (tracking_no, kind, category, channel, status, content, "
       "student_id, contact_name, "
       "contact_phone, wechat_openid, target_unit_id, target_college_id, target_window_id, "
       "target_staff_id, entered_by, "
       "created_at, ack_due_at, feedback_due_at) VALUES (:t, :k, :c, :ch, :s, :co, :st, :n, :p, "
       ":o, :u, :cl, :w, :sf, "
       ":e, :now, :ad, :fd)",
      soci::use(tracking), soci::use(kind), soci::use(category), soci::use(channel),
      soci::use(status), soci::use(content), soci::use(student), soci::use(name), soci::use(phone),
      soci::use(openid), soci::use(unit), soci::use(college), soci::use(window), soci::use(staff),
      soci::use(entered_by), soci::use(now), soci::use(ack_due), soci::use(fb_due);
  s << "SELECT id FROM feedback_items WHERE tracking_no = :t", soci::use(tracking), soci::into(id);
  for (auto& a : atts) {
    long long size = static_cast<long long>(a.data.size());
    std::string b64 = wechat::base64_encode(a.data);
    s << "INSERT INTO feedback_attachments (item_id, file_name, content_type, size, data_b64, "
         "created_at) VALUES (:i, "
         ":n, :t, :s, :d, :now)",
        soci::use(id), soci::use(a.name), soci::use(a.type), soci::use(size), soci::use(b64),
        soci::use(now);
  }
  add_event(s, id, c, "received", "", now);
  auth::audit(s, c, "feedback.create", "feedback", std::to_string(id),
              json::object{{"tracking_no", tracking}, {"kind", kind}, {"channel", channel}});
  return json::object{{"id", id},
                      {"tracking_no", tracking},
                      {"status", status},
                      {"feedback_due_at", iso8601_utc(fb_due)}};
}

namespace {
struct Common {
  std::string kind, category, content;
  const json::object* target = nullptr;
  const json::array* attachments = nullptr;
};
Common read_common(JsonFields& f) {
  Common c;
  c.kind = f.required_string("kind", 20);
  if (!is_one_of(kinds(), c.kind)) throw errors::invalid_kind("kind");
  c.category = f.required_string("category", 20);
  if (!is_one_of(categories(), c.category)) throw errors::invalid_category("category");
  c.content = f.required_string("content", 2000);
  check_content(c.content, "content", 2000);
  if (c.content.empty()) throw errors::missing_field.with("content", "content");
  c.target = f.optional_object("target");
  c.attachments = f.optional_array("attachments");
  return c;
}
std::string read_phone(JsonFields& f, bool required) {
  auto p = f.optional_string("contact_phone", 20);
  std::string d = digits(p.value_or(""));
  if (p && (d.size() < 7 || d.size() > 15)) throw errors::invalid_phone("contact_phone");
  if (required && d.empty()) throw errors::missing_field.with("contact_phone", "contact_phone");
  return d;
}
}  // namespace

json::object FeedbackService::submit_web(const auth::Caller& c, const json::value& body) {
  JsonFields f(body);
  Common in = read_common(f);
  bool student = c.principal.is_student();
  if (c.principal.is_user() && !student) throw errors::staff_use_desk();
  if (c.principal.is_device()) throw forbidden();
  std::string name = f.optional_string("contact_name", 50).value_or("");
  check_text(name, "contact_name", 50, true);
  std::string phone = read_phone(f, !student);
  f.finish();
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    std::optional<long long> sid;
    std::string ph = phone;
    if (student) {
      sid = c.principal.user_id;
      if (ph.empty()) ph = student_phone(s, *sid);
    }
    return create(s, c, in.kind, in.category, "web", in.content, sid, name, ph, std::nullopt,
                  in.target, in.attachments, now);
  });
}

json::object FeedbackService::submit_staff(const auth::Caller& c, const json::value& body) {
  JsonFields f(body);
  Common in = read_common(f);
  std::string channel = f.required_string("channel", 10);
  if (channel != "window" && channel != "phone") throw errors::invalid_channel("channel");
  auto student_no = f.optional_string("student_no", 32);
  std::string name = f.optional_string("contact_name", 50).value_or("");
  check_text(name, "contact_name", 50, true);
  std::string phone = read_phone(f, false);
  f.finish();
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    if (!is_handler(s, c.principal)) throw errors::not_complaint_handler();
    std::optional<long long> sid;
    if (student_no && !student_no->empty()) {
      long long id = 0;
      soci::indicator ind;
      s << "SELECT user_id FROM students WHERE student_no = :n", soci::use(*student_no),
          soci::into(id, ind);
      if (!s.got_data()) throw errors::unknown_student("student_no");
      sid = id;
    }
    std::string ph = phone;
    if (ph.empty() && sid) ph = student_phone(s, *sid);
    if (ph.empty() && !sid) throw errors::missing_field.with("contact_phone", "contact_phone");
    return create(s, c, in.kind, in.category, channel, in.content, sid, name, ph, std::nullopt,
                  in.target, in.attachments, now);
  });
}

json::object FeedbackService::track(const std::string& tracking_no, const std::string& phone,
                                    const std::string& address) {
  std::string d = digits(phone);
  std::string no = normalize_tracking_no(tracking_no);
  return deps_.db->read([&](soci::session& s) {
    // No enumeration: a wrong number and a wrong phone answer alike.
    auto found = track_lookup(s, no, d, address);
    if (!found) throw item_not_found();
    auto it = load(s, "f.id = :i", {*found});
    auto o = student_json(s, *it);
    o.erase("id");
    return o;
  });
}

namespace {
json::object act(Deps& deps, soci::session& s, const auth::Caller& c, Item it, bool accept,
                 const std::string& reason) {
  long long now = Clock::now();
  auto next = next_status(it.status, accept ? Action::accept : Action::dispute, it.disputed);
  if (!next) {
    if (!accept && it.disputed && it.status == "answered") throw errors::dispute_used();
    throw errors::invalid_transition();
  }
  if (accept) {
    std::string outcome = "accepted";
    s << "UPDATE feedback_items SET status = :s, outcome = :o, closed_at = :t WHERE id = :i",
        soci::use(*next), soci::use(outcome), soci::use(now), soci::use(it.id);
    add_event(s, it.id, c, "accepted", "", now);
  } else {
    // C3: disputed once → reopened and escalated to the responsible teacher, new feedback deadline.
    auto start = calendar::Instant(std::chrono::seconds(now / 1000));
    long long fb_due =
        deps.calendar->deadline(0, start, kFeedbackWorkingDays).time_since_epoch().count() * 1000LL;
    s << "UPDATE feedback_items SET status = :s, disputed = 1, escalated = 1, dispute_reason = :r, "
         "handler_id = NULL, "
         "feedback_due_at = :d WHERE id = :i",
        soci::use(*next), soci::use(reason), soci::use(fb_due), soci::use(it.id);
    add_event(s, it.id, c, "disputed", reason, now);
  }
  auth::audit(s, c, accept ? "feedback.accept" : "feedback.dispute", "feedback",
              std::to_string(it.id));
  return student_json(s, load_by_id(s, it.id));
}
std::string read_reason(JsonFields& f, bool accept) {
  std::string reason;
  if (!accept) {
    reason = f.required_string("reason", 1000);
    check_text(reason, "reason", 1000);
  }
  f.finish();
  return reason;
}
}  // namespace

json::object FeedbackService::track_act(const auth::Caller& c, const json::value& body,
                                        bool accept) {
  JsonFields f(body);
  std::string no = normalize_tracking_no(f.required_string("tracking_no", 40));
  std::string phone = digits(f.required_string("phone", 20));
  std::string reason = read_reason(f, accept);
  return deps_.db->write([&](soci::session& s) {
    auto found = track_lookup(s, no, phone, c.address);
    if (!found) throw item_not_found();
    auto it = load(s, "f.id = :i", {*found});
    auto o = act(deps_, s, c, *it, accept, reason);
    o.erase("id");
    return o;
  });
}

json::array FeedbackService::my_items(const auth::Caller& c) {
  if (!c.principal.is_student()) throw forbidden();
  return deps_.db->read([&](soci::session& s) {
    json::array out;
    db::Values b{static_cast<long long>(c.principal.user_id)};
    std::vector<Item> items;
    db::query_rows(
        s, std::string("SELECT ") + kCols + kFrom + " WHERE f.student_id = :u ORDER BY f.id DESC",
        b, [&](const soci::row& r) { items.push_back(read_item(r)); });
    for (auto& it : items) out.push_back(student_json(s, it));
    return out;
  });
}

json::object FeedbackService::my_act(const auth::Caller& c, std::int64_t id,
                                     const json::value& body, bool accept) {
  if (!c.principal.is_student()) throw forbidden();
  JsonFields f(body);
  std::string reason = read_reason(f, accept);
  return deps_.db->write([&](soci::session& s) {
    auto it = load(s, "f.id = :i", {static_cast<long long>(id)});
    if (!it || it->student_id != c.principal.user_id) throw item_not_found();
    return act(deps_, s, c, *it, accept, reason);
  });
}

json::object FeedbackService::bind_code(const auth::Caller& c) {
  if (!c.principal.is_student()) throw forbidden();
  long long now = Clock::now();
  long long expires = now + kBindCodeLifetimeMs;  // short-lived: six digits
  return deps_.db->write([&](soci::session& s) {
    long long uid = c.principal.user_id;
    s << "DELETE FROM wechat_bind_codes WHERE student_id = :u OR expires_at < :n", soci::use(uid),
        soci::use(now);
    std::string code;
    for (int i = 0; i < 20; ++i) {
      code = fmt::format("{:06d}", random_below(1000000));
      long long n = 0;
      s << "SELECT COUNT(*) FROM wechat_bind_codes WHERE code = :c", soci::use(code), soci::into(n);
      if (n == 0) break;
    }
    s << "INSERT INTO wechat_bind_codes (code, student_id, expires_at) VALUES (:c, :u, :e)",
        soci::use(code), soci::use(uid), soci::use(expires);
    auth::audit(s, c, "wechat.bind_code", "user", std::to_string(uid));
    return json::object{
        {"code", code}, {"expires_at", iso8601_utc(expires)}, {"message", "绑定 " + code}};
  });
}

}  // namespace hall::feedback
