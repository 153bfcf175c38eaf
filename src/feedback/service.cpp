#include "feedback/service.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <chrono>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "auth/service.hpp"
#include "calendar/service.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "courtesy/service.hpp"
#include "feedback/model.hpp"
#include "feedback/wechat.hpp"
#include "queue/store.hpp"
#include "feedback/module.hpp"
#include "core/config.hpp"
#include "db/database.hpp"

namespace hall::feedback {

using queue::store::Bind;
using queue::store::col_i64;
using queue::store::col_opt_i64;
using queue::store::col_opt_str;
using queue::store::col_str;

namespace {

ApiError item_not_found() { return not_found("feedback_not_found", {"未找到该投诉建议", "Complaint or suggestion not found"}); }

json::value opt_time(const std::optional<long long>& t) {
  if (!t) return nullptr;
  return json::value(iso8601_utc(*t));
}
json::value opt_int(const std::optional<long long>& v) {
  if (!v) return nullptr;
  return json::value(*v);
}

// Phone numbers compare by their digits only.
std::string digits(std::string_view s) {
  std::string d;
  for (char c : s)
    if (c >= '0' && c <= '9') d += c;
  return d;
}

// The columns every reader needs; identity columns are never among them.
const char* kCols =
    "f.id, f.tracking_no, f.kind, f.category, f.channel, f.status, f.content, f.target_unit_id, "
    "u.name, "
    "f.target_college_id, co.name, f.target_window_id, w.number, f.target_staff_id, su.name, "
    "f.handler_id, hu.name, "
    "f.escalated, f.disputed, f.dispute_reason, f.upheld, f.findings, f.handling, f.created_at, "
    "f.acknowledged_at, "
    "f.answered_at, f.closed_at, f.ack_due_at, f.feedback_due_at, f.student_id, w.unit_id, "
    "ts.unit_id";
const char* kFrom =
    " FROM feedback_items f LEFT JOIN units u ON u.id = f.target_unit_id LEFT JOIN colleges co ON "
    "co.id = "
    "f.target_college_id LEFT JOIN windows w ON w.id = f.target_window_id LEFT JOIN users su ON "
    "su.id = "
    "f.target_staff_id LEFT JOIN staff ts ON ts.user_id = f.target_staff_id LEFT JOIN users hu ON "
    "hu.id = f.handler_id";

struct Item {
  long long id = 0;
  std::string tracking_no, kind, category, channel, status, content;
  std::optional<long long> unit_id, college_id, window_id, window_no, staff_id, handler_id;
  std::string unit_name, college_name, staff_name, handler_name;
  bool escalated = false, disputed = false;
  std::optional<std::string> dispute_reason, findings, handling;
  std::optional<long long> upheld;
  long long created_at = 0, ack_due = 0, feedback_due = 0;
  std::optional<long long> acknowledged_at, answered_at, closed_at, student_id;
  // The units the item is about: the window's (it staffs that window) and the staff member's.
  std::optional<long long> window_unit_id, staff_unit_id;
};

Item read_item(const soci::row& r) {
  Item it;
  std::size_t i = 0;
  it.id = col_i64(r, i++);
  it.tracking_no = col_str(r, i++);
  it.kind = col_str(r, i++);
  it.category = col_str(r, i++);
  it.channel = col_str(r, i++);
  it.status = col_str(r, i++);
  it.content = col_str(r, i++);
  it.unit_id = col_opt_i64(r, i++);
  it.unit_name = col_str(r, i++);
  it.college_id = col_opt_i64(r, i++);
  it.college_name = col_str(r, i++);
  it.window_id = col_opt_i64(r, i++);
  it.window_no = col_opt_i64(r, i++);
  it.staff_id = col_opt_i64(r, i++);
  it.staff_name = col_str(r, i++);
  it.handler_id = col_opt_i64(r, i++);
  it.handler_name = col_str(r, i++);
  it.escalated = col_i64(r, i++) != 0;
  it.disputed = col_i64(r, i++) != 0;
  it.dispute_reason = col_opt_str(r, i++);
  it.upheld = col_opt_i64(r, i++);
  it.findings = col_opt_str(r, i++);
  it.handling = col_opt_str(r, i++);
  it.created_at = col_i64(r, i++);
  it.acknowledged_at = col_opt_i64(r, i++);
  it.answered_at = col_opt_i64(r, i++);
  it.closed_at = col_opt_i64(r, i++);
  it.ack_due = col_i64(r, i++);
  it.feedback_due = col_i64(r, i++);
  it.student_id = col_opt_i64(r, i++);
  it.window_unit_id = col_opt_i64(r, i++);
  it.staff_unit_id = col_opt_i64(r, i++);
  return it;
}

std::optional<Item> load(soci::session& s, const std::string& where, std::vector<Bind> b) {
  std::optional<Item> out;
  queue::store::query(s, std::string("SELECT ") + kCols + kFrom + " WHERE " + where, b,
                      [&](const soci::row& r) { out = read_item(r); });
  return out;
}
Item load_by_id(soci::session& s, long long id) {
  auto it = load(s, "f.id = :id", {id});
  if (!it) throw item_not_found();
  return *it;
}

json::array events_json(soci::session& s, long long id) {
  json::array out;
  std::vector<Bind> b{id};
  queue::store::query(s, "SELECT at, action, note FROM feedback_events WHERE item_id = :id ORDER BY id", b,
                      [&](const soci::row& r) {
                        out.push_back(json::object{
                            {"at", iso8601_utc(col_i64(r, 0))}, {"action", col_str(r, 1)}, {"note", col_str(r, 2)}});
                      });
  return out;
}

void add_event(soci::session& s, long long id, const auth::Caller& c, const std::string& action,
               const std::string& note, long long now) {
  std::optional<long long> actor;
  if (c.principal.is_user()) actor = c.principal.user_id;
  s << "INSERT INTO feedback_events (item_id, at, actor_id, action, note) VALUES (:i, :a, :u, :c, :n)", soci::use(id),
      soci::use(now), soci::use(actor), soci::use(action), soci::use(note);
}

// What the student (and the public tracking page) sees: no handler names, no targets' identities beyond the names given.
json::object student_json(soci::session& s, const Item& it) {
  return json::object{{"id", it.id},
                      {"tracking_no", it.tracking_no},
                      {"kind", it.kind},
                      {"category", it.category},
                      {"channel", it.channel},
                      {"status", it.status},
                      {"content", it.content},
                      {"findings", it.findings ? json::value(*it.findings) : json::value(nullptr)},
                      {"handling", it.handling ? json::value(*it.handling) : json::value(nullptr)},
                      {"created_at", iso8601_utc(it.created_at)},
                      {"answered_at", opt_time(it.answered_at)},
                      {"closed_at", opt_time(it.closed_at)},
                      {"feedback_due_at", iso8601_utc(it.feedback_due)},
                      {"disputed", it.disputed},
                      {"can_accept", it.status == "answered"},
                      {"can_dispute", it.status == "answered" && !it.disputed},
                      {"events", events_json(s, it.id)}};
}

json::object staff_json(soci::session& s, const Item& it, bool with_history) {
  json::object target{{"unit_id", opt_int(it.unit_id)},       {"unit_name", it.unit_name},
                      {"college_id", opt_int(it.college_id)}, {"college_name", it.college_name},
                      {"window_id", opt_int(it.window_id)},   {"window_number", opt_int(it.window_no)},
                      {"staff_id", opt_int(it.staff_id)},     {"staff_name", it.staff_name}};
  long long now = Clock::now();
  MissedDeadlines missed = missed_deadlines(it.status, now, it.ack_due, it.feedback_due);
  json::object o{{"id", it.id},
                 {"tracking_no", it.tracking_no},
                 {"kind", it.kind},
                 {"category", it.category},
                 {"channel", it.channel},
                 {"status", it.status},
                 {"content", it.content},
                 {"target", target},
                 {"handler_id", opt_int(it.handler_id)},
                 {"handler_name", it.handler_name},
                 {"escalated", it.escalated},
                 {"disputed", it.disputed},
                 {"dispute_reason", it.dispute_reason ? json::value(*it.dispute_reason) : json::value(nullptr)},
                 {"upheld", it.upheld ? json::value(*it.upheld != 0) : json::value(nullptr)},
                 {"findings", it.findings ? json::value(*it.findings) : json::value(nullptr)},
                 {"handling", it.handling ? json::value(*it.handling) : json::value(nullptr)},
                 {"created_at", iso8601_utc(it.created_at)},
                 {"acknowledged_at", opt_time(it.acknowledged_at)},
                 {"answered_at", opt_time(it.answered_at)},
                 {"closed_at", opt_time(it.closed_at)},
                 {"ack_due_at", iso8601_utc(it.ack_due)},
                 {"feedback_due_at", iso8601_utc(it.feedback_due)},
                 {"deadline_state", deadline_state(it.status, now, it.ack_due, it.feedback_due)},
                 // C3: which deadline is missed (the acknowledgement's, 1 working day; the answer's, 5).
                 {"ack_overdue", missed.ack},
                 {"feedback_overdue", missed.feedback}};
  if (with_history) {
    o["events"] = events_json(s, it.id);
    json::array atts;
    std::vector<Bind> b{it.id};
    queue::store::query(s, "SELECT id, file_name, content_type, size FROM feedback_attachments WHERE item_id = :i ORDER BY id",
                        b, [&](const soci::row& r) {
                          atts.push_back(json::object{{"id", col_i64(r, 0)},
                                                      {"file_name", col_str(r, 1)},
                                                      {"content_type", col_str(r, 2)},
                                                      {"size", col_i64(r, 3)}});
                        });
    o["attachments"] = atts;
  }
  return o;
}

bool is_teacher(const auth::Principal& p) { return p.is_user() && (p.role == "teacher" || p.role == "admin"); }

// Anti-retaliation (C3): whether the item is about the caller or the caller's
// unit — the unit named, the unit that staffs the window named, or the unit of
// the staff member named. Such an item is never handled by the caller nor shown
// to them with the complainant's identity; it goes to the responsible teacher
// (who stands outside the units and always may).
bool concerns(const auth::Principal& p, const Item& it) {
  if (it.staff_id && *it.staff_id == p.user_id) return true;
  if (is_teacher(p) || p.unit_id == 0) return false;
  for (const auto& unit : {it.unit_id, it.window_unit_id, it.staff_unit_id})
    if (unit && *unit == p.unit_id) return true;
  return false;
}
bool may_see_identity(const auth::Principal& p, const Item& it) { return !concerns(p, it); }
ApiError about_you() {
  return forbidden(
      {"该投诉建议针对您本人或您所在的单位，由负责老师处理，您不能办理或查看投诉人身份",
       "This item is about you or your unit: the responsible teacher handles it, and you may "
       "neither handle it "
       "nor see who filed it"});
}

void check_content(const std::string& v, const char* field, std::size_t max) { check_text(v, field, max); }

long long random_below(unsigned n) {
  ensure_sodium();
  return randombytes_uniform(n);
}
std::uint64_t random_bits50() {
  ensure_sodium();
  std::uint64_t v = 0;
  randombytes_buf(&v, sizeof v);
  return v >> 14;
}

// Throttling of guesses at what the public holds (C2 tracking without login,
// WeChat binding): failures per phone number and per address, per WeChat account.
constexpr long long kHourMs = 3600LL * 1000;
constexpr int kTrackFailuresPerPhone = 10;    // per hour
constexpr int kTrackFailuresPerAddress = 30;  // per hour
constexpr int kBindFailuresPerOpenid = 5;     // per 15 minutes
constexpr long long kBindCodeLifetimeMs = 5LL * 60 * 1000;

auth::TooManyAttempts too_many_lookups(std::int64_t wait_ms) {
  std::int64_t secs = auth::TooManyAttempts::seconds(wait_ms);
  return auth::TooManyAttempts(
      secs, {"查询失败次数过多，请 " + std::to_string(secs) + " 秒后再试",
             "Too many failed look-ups; try again in " + std::to_string(secs) + " seconds"});
}

}  // namespace

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
  s << "SELECT COUNT(*) FROM windows WHERE is_complaints = 1 AND active = 1 AND unit_id = :u", soci::use(p.unit_id),
      soci::into(n);
  return n > 0;
}

json::object FeedbackService::create(soci::session& s, const auth::Caller& c, const std::string& kind,
                                     const std::string& category, const std::string& channel,
                                     const std::string& content, std::optional<long long> student,
                                     const std::string& name, const std::string& phone,
                                     std::optional<std::string> openid, const json::object* target,
                                     const json::array* attachments, long long now) {
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
      if (n == 0) throw unprocessable("unknown_target", {"投诉对象不存在", "The target does not exist"}, std::string("target.") + key);
    };
    fk("unit_id", "units", unit);
    fk("college_id", "colleges", college);
    fk("window_id", "windows", window);
    fk("staff_id", "users", staff);
    // C2 web portal: the student names "the person at window N" as the public window list showed it
    // (masked, 王*明) by that sitting's id; the server resolves it, so no staff id is ever shown.
    if (auto sitting = t.optional_int("window_session_id", 1)) {
      if (!window)
        throw bad_request("missing_field", {"请先选择窗口", "Choose the window first"},
                          "target.window_id");
      std::optional<long long> sw, sstaff;
      s << "SELECT window_id, staff_id FROM queue_window_sessions WHERE id = :id",
          soci::use(*sitting), soci::into(sw), soci::into(sstaff);
      if (!sw || *sw != *window)
        throw unprocessable("unknown_target", {"投诉对象不存在", "The target does not exist"},
                            "target.window_session_id");
      if (staff && *staff != *sstaff)
        throw unprocessable(
            "target_mismatch",
            {"所选工作人员与窗口不符", "The staff member does not match the window"},
            "target.staff_id");
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
      throw bad_request("too_many_attachments", {"附件最多 5 个", "At most 5 attachments"}, "attachments");
    for (std::size_t i = 0; i < attachments->size(); ++i) {
      std::string field = fmt::format("attachments[{}]", i);
      if (!(*attachments)[i].is_object()) throw bad_request("wrong_type", {"附件格式错误", "Attachment must be an object"}, field);
      JsonFields a{json::value((*attachments)[i].as_object())};
      Att att;
      att.name = a.required_string("file_name", 100);
      std::string b64 = a.required_string("data_base64", 8 << 20);
      a.finish();
      auto raw = wechat::base64_decode(b64);
      if (!raw) throw bad_request("invalid_attachment", {"附件不是有效的 Base64", "Attachment is not valid Base64"}, field);
      if (raw->size() > kMaxAttachmentBytes)
        throw ApiError(413, "attachment_too_large", {"单个附件不能超过 5 MB", "An attachment may not exceed 5 MB"}, field);
      att.type = sniff_attachment(*raw);
      if (att.type.empty())
        throw ApiError(415, "attachment_type", {"附件只能是图片（PNG、JPEG、GIF、WebP）或 PDF", "Attachments must be images (PNG, JPEG, GIF, WebP) or PDF"}, field);
      att.data = std::move(*raw);
      atts.push_back(std::move(att));
    }
  }
  // C3 deadlines in working days from now.
  auto start = calendar::Instant(std::chrono::seconds(now / 1000));
  long long ack_due = deps_.calendar->deadline(0, start, kAckWorkingDays).time_since_epoch().count() * 1000LL;
  long long fb_due = deps_.calendar->deadline(0, start, kFeedbackWorkingDays).time_since_epoch().count() * 1000LL;
  std::optional<long long> entered_by;
  if (c.principal.is_user() && !c.principal.is_student()) entered_by = c.principal.user_id;
  std::string date = local_date(now, deps_.config.utc_offset_minutes);
  std::string tracking;
  long long id = 0;
  for (int attempt = 0;; ++attempt) {
    tracking = tracking_number(kind, date, random_bits50());
    long long clash = 0;
    s << "SELECT COUNT(*) FROM feedback_items WHERE tracking_no = :t", soci::use(tracking), soci::into(clash);
    if (clash == 0) break;
    if (attempt > 20) throw std::runtime_error("no free tracking number");
  }
  std::string status = "received";
  s << "INSERT INTO feedback_items (tracking_no, kind, category, channel, status, content, student_id, contact_name, "
       "contact_phone, wechat_openid, target_unit_id, target_college_id, target_window_id, target_staff_id, entered_by, "
       "created_at, ack_due_at, feedback_due_at) VALUES (:t, :k, :c, :ch, :s, :co, :st, :n, :p, :o, :u, :cl, :w, :sf, "
       ":e, :now, :ad, :fd)",
      soci::use(tracking), soci::use(kind), soci::use(category), soci::use(channel), soci::use(status),
      soci::use(content), soci::use(student), soci::use(name), soci::use(phone), soci::use(openid), soci::use(unit),
      soci::use(college), soci::use(window), soci::use(staff), soci::use(entered_by), soci::use(now),
      soci::use(ack_due), soci::use(fb_due);
  s << "SELECT id FROM feedback_items WHERE tracking_no = :t", soci::use(tracking), soci::into(id);
  for (auto& a : atts) {
    long long size = static_cast<long long>(a.data.size());
    std::string b64 = wechat::base64_encode(a.data);
    s << "INSERT INTO feedback_attachments (item_id, file_name, content_type, size, data_b64, created_at) VALUES (:i, "
         ":n, :t, :s, :d, :now)",
        soci::use(id), soci::use(a.name), soci::use(a.type), soci::use(size), soci::use(b64), soci::use(now);
  }
  add_event(s, id, c, "received", "", now);
  auth::audit(s, c, "feedback.create", "feedback", std::to_string(id),
              json::object{{"tracking_no", tracking}, {"kind", kind}, {"channel", channel}});
  return json::object{{"id", id}, {"tracking_no", tracking}, {"status", status},
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
  if (!is_one_of(kinds(), c.kind)) throw bad_request("invalid_kind", {"类型无效", "Unknown kind"}, "kind");
  c.category = f.required_string("category", 20);
  if (!is_one_of(categories(), c.category))
    throw bad_request("invalid_category", {"范围类别无效", "Unknown category"}, "category");
  c.content = f.required_string("content", 2000);
  check_content(c.content, "content", 2000);
  if (c.content.empty()) throw bad_request("missing_field", {"请填写内容", "Content is required"}, "content");
  c.target = f.optional_object("target");
  c.attachments = f.optional_array("attachments");
  return c;
}
std::string read_phone(JsonFields& f, bool required) {
  auto p = f.optional_string("contact_phone", 20);
  std::string d = digits(p.value_or(""));
  if (p && (d.size() < 7 || d.size() > 15))
    throw bad_request("invalid_phone", {"联系电话格式不正确", "Invalid phone number"}, "contact_phone");
  if (required && d.empty())
    throw bad_request("missing_field", {"请填写联系电话，凭追踪号和电话查询进度", "A phone number is required to track progress"}, "contact_phone");
  return d;
}
std::string student_phone(soci::session& s, long long student) {
  std::string phone;
  soci::indicator ind;
  s << "SELECT phone FROM students WHERE user_id = :u", soci::use(student), soci::into(phone, ind);
  return ind == soci::i_ok ? digits(phone) : std::string();
}
}  // namespace

json::object FeedbackService::submit_web(const auth::Caller& c, const json::value& body) {
  JsonFields f(body);
  Common in = read_common(f);
  bool student = c.principal.is_student();
  if (c.principal.is_user() && !student)
    throw forbidden({"工作人员请在投诉窗口录入（渠道：窗口或电话）", "Staff enter complaints at the complaints desk (window or phone)"});
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
    return create(s, c, in.kind, in.category, "web", in.content, sid, name, ph, std::nullopt, in.target,
                  in.attachments, now);
  });
}

json::object FeedbackService::submit_staff(const auth::Caller& c, const json::value& body) {
  JsonFields f(body);
  Common in = read_common(f);
  std::string channel = f.required_string("channel", 10);
  if (channel != "window" && channel != "phone")
    throw bad_request("invalid_channel", {"渠道只能是窗口或电话", "Channel must be window or phone"}, "channel");
  auto student_no = f.optional_string("student_no", 32);
  std::string name = f.optional_string("contact_name", 50).value_or("");
  check_text(name, "contact_name", 50, true);
  std::string phone = read_phone(f, false);
  f.finish();
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    if (!is_handler(s, c.principal)) throw forbidden({"只有投诉窗口工作人员和负责老师可以录入", "Only complaint handlers may enter complaints"});
    std::optional<long long> sid;
    if (student_no && !student_no->empty()) {
      long long id = 0;
      soci::indicator ind;
      s << "SELECT user_id FROM students WHERE student_no = :n", soci::use(*student_no), soci::into(id, ind);
      if (!s.got_data()) throw unprocessable("unknown_student", {"学号不存在", "Unknown student number"}, "student_no");
      sid = id;
    }
    std::string ph = phone;
    if (ph.empty() && sid) ph = student_phone(s, *sid);
    if (ph.empty() && !sid)
      throw bad_request("missing_field", {"请填写学号或联系电话", "A student number or phone is required"}, "contact_phone");
    return create(s, c, in.kind, in.category, channel, in.content, sid, name, ph, std::nullopt, in.target,
                  in.attachments, now);
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
json::object act(Deps& deps, soci::session& s, const auth::Caller& c, Item it, bool accept, const std::string& reason) {
  long long now = Clock::now();
  auto next = next_status(it.status, accept ? Action::accept : Action::dispute, it.disputed);
  if (!next) {
    if (!accept && it.disputed && it.status == "answered")
      throw conflict("dispute_used", {"每件投诉只能提出一次异议", "An answer can be disputed only once"});
    throw conflict("invalid_transition", {"当前状态不能执行此操作", "Not possible in the current status"});
  }
  if (accept) {
    std::string outcome = "accepted";
    s << "UPDATE feedback_items SET status = :s, outcome = :o, closed_at = :t WHERE id = :i", soci::use(*next),
        soci::use(outcome), soci::use(now), soci::use(it.id);
    add_event(s, it.id, c, "accepted", "", now);
  } else {
    // C3: disputed once → reopened and escalated to the responsible teacher, new feedback deadline.
    auto start = calendar::Instant(std::chrono::seconds(now / 1000));
    long long fb_due = deps.calendar->deadline(0, start, kFeedbackWorkingDays).time_since_epoch().count() * 1000LL;
    s << "UPDATE feedback_items SET status = :s, disputed = 1, escalated = 1, dispute_reason = :r, handler_id = NULL, "
         "feedback_due_at = :d WHERE id = :i",
        soci::use(*next), soci::use(reason), soci::use(fb_due), soci::use(it.id);
    add_event(s, it.id, c, "disputed", reason, now);
  }
  auth::audit(s, c, accept ? "feedback.accept" : "feedback.dispute", "feedback", std::to_string(it.id));
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

json::object FeedbackService::track_act(const auth::Caller& c, const json::value& body, bool accept) {
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
    std::vector<Bind> b{static_cast<long long>(c.principal.user_id)};
    std::vector<Item> items;
    queue::store::query(s, std::string("SELECT ") + kCols + kFrom + " WHERE f.student_id = :u ORDER BY f.id DESC", b,
                        [&](const soci::row& r) { items.push_back(read_item(r)); });
    for (auto& it : items) out.push_back(student_json(s, it));
    return out;
  });
}

json::object FeedbackService::my_act(const auth::Caller& c, std::int64_t id, const json::value& body, bool accept) {
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
    s << "DELETE FROM wechat_bind_codes WHERE student_id = :u OR expires_at < :n", soci::use(uid), soci::use(now);
    std::string code;
    for (int i = 0; i < 20; ++i) {
      code = fmt::format("{:06d}", random_below(1000000));
      long long n = 0;
      s << "SELECT COUNT(*) FROM wechat_bind_codes WHERE code = :c", soci::use(code), soci::into(n);
      if (n == 0) break;
    }
    s << "INSERT INTO wechat_bind_codes (code, student_id, expires_at) VALUES (:c, :u, :e)", soci::use(code),
        soci::use(uid), soci::use(expires);
    auth::audit(s, c, "wechat.bind_code", "user", std::to_string(uid));
    return json::object{{"code", code}, {"expires_at", iso8601_utc(expires)}, {"message", "绑定 " + code}};
  });
}

json::object FeedbackService::list(const auth::Caller& c, const ListFilter& f) {
  return deps_.db->read([&](soci::session& s) {
    bool oversee = auth::has_permission(c.principal, "feedback.oversee");
    if (!oversee && !is_handler(s, c.principal)) throw forbidden();
    std::string where = " WHERE 1 = 1";
    std::vector<Bind> b;
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
      where += " AND f.status IN ('received','assigned','investigating') AND (f.feedback_due_at < :n1 OR (f.status = "
               "'received' AND f.ack_due_at < :n2))";
      b.push_back(now);
      b.push_back(now);
    }
    std::vector<Item> items;
    queue::store::query(s, std::string("SELECT ") + kCols + kFrom + where + " ORDER BY f.id DESC", b,
                        [&](const soci::row& r) { items.push_back(read_item(r)); });
    json::array out;
    std::size_t from = static_cast<std::size_t>((f.page - 1) * f.page_size);
    std::size_t total = 0;
    for (auto& it : items) {
      if (f.deadline == "due_soon" && deadline_state(it.status, now, it.ack_due, it.feedback_due) != "due_soon") continue;
      if (total >= from && out.size() < static_cast<std::size_t>(f.page_size)) {
        json::object o = staff_json(s, it, false);
        o["about_you"] = concerns(c.principal, it);  // C3: the teacher's, not the caller's
        out.push_back(std::move(o));
      }
      ++total;
    }
    return json::object{{"items", out}, {"total", total}, {"page", f.page}, {"page_size", f.page_size}};
  });
}

json::object FeedbackService::get(const auth::Caller& c, std::int64_t id) {
  return deps_.db->read([&](soci::session& s) {
    if (!auth::has_permission(c.principal, "feedback.oversee") && !is_handler(s, c.principal)) throw forbidden();
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
    if (!auth::has_permission(c.principal, "feedback.oversee") && !is_handler(s, c.principal)) throw forbidden();
    Item it = load_by_id(s, id);
    if (!may_see_identity(c.principal, it)) throw about_you();
    std::string name, phone;
    std::optional<std::string> openid;
    s << "SELECT contact_name, contact_phone, wechat_openid FROM feedback_items WHERE id = :i", soci::use(it.id),
        soci::into(name), soci::into(phone), soci::into(openid);
    json::value student = nullptr;
    if (it.student_id) {
      std::vector<Bind> b{*it.student_id};
      queue::store::query(s,
                          "SELECT u.id, u.name, st.student_no, co.name, st.class_name, st.phone FROM users u JOIN "
                          "students st ON st.user_id = u.id LEFT JOIN colleges co ON co.id = st.college_id WHERE u.id = :u",
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
    if (!auth::has_permission(c.principal, "feedback.oversee") && !is_handler(s, c.principal)) throw forbidden();
    json::array out;
    std::vector<Bind> b;
    queue::store::query(
        s,
        "SELECT u.id, u.name, u.role FROM users u LEFT JOIN staff sf ON sf.user_id = u.id WHERE u.disabled = 0 AND "
        "(u.role IN ('teacher','admin') OR (u.role = 'staff' AND sf.unit_id IN (SELECT unit_id FROM windows WHERE "
        "is_complaints = 1 AND active = 1 AND unit_id IS NOT NULL))) ORDER BY u.id",
        b, [&](const soci::row& r) {
          out.push_back(json::object{{"id", col_i64(r, 0)}, {"name", col_str(r, 1)}, {"role", col_str(r, 2)}});
        });
    return out;
  });
}

namespace {
void require_may_act(FeedbackService& svc, soci::session& s, const auth::Caller& c, const Item& it) {
  if (!svc.is_handler(s, c.principal)) throw forbidden();
  // Escalated (disputed) items are the responsible teacher's (C3).
  if (it.escalated && !is_teacher(c.principal))
    throw forbidden({"学生有异议的投诉由负责老师处理", "A disputed complaint is handled by the responsible teacher"});
  if (concerns(c.principal, it)) throw about_you();
}
}  // namespace

json::object FeedbackService::assign(const auth::Caller& c, std::int64_t id, const json::value& body) {
  JsonFields f(body);
  long long handler = f.optional_int("handler_id", 1).value_or(c.principal.user_id);
  f.finish();
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    Item it = load_by_id(s, id);
    require_may_act(*this, s, c, it);
    auto next = next_status(it.status, Action::assign, it.disputed);
    if (!next) throw conflict("invalid_transition", {"当前状态不能指派", "Cannot assign in the current status"});
    // The handler must be a complaint handler too, and neither the person complained about nor of
    // the unit concerned.
    auth::Principal p;
    p.kind = auth::PrincipalKind::user;
    p.user_id = handler;
    std::optional<long long> unit;
    soci::indicator ind;
    s << "SELECT u.role, sf.unit_id FROM users u LEFT JOIN staff sf ON sf.user_id = u.id WHERE u.id = :u AND u.disabled = 0",
        soci::use(handler), soci::into(p.role, ind), soci::into(unit);
    if (!s.got_data()) throw unprocessable("unknown_handler", {"处理人不存在", "Unknown handler"}, "handler_id");
    p.unit_id = unit.value_or(0);
    if (concerns(p, it))
      throw unprocessable("handler_is_target",
                          {"不能指派给被投诉的人员或其所在单位的人员",
                           "Cannot assign to the person or a member of the unit complained about"},
                          "handler_id");
    if (!is_handler(s, p) || (it.escalated && !is_teacher(p)))
      throw unprocessable("not_a_handler", {"该人员不是投诉处理人", "That person does not handle complaints"}, "handler_id");
    std::string status = it.status == "investigating" ? "investigating" : *next;
    s << "UPDATE feedback_items SET status = :s, handler_id = :h, acknowledged_at = COALESCE(acknowledged_at, :t) "
         "WHERE id = :i",
        soci::use(status), soci::use(handler), soci::use(now), soci::use(it.id);
    add_event(s, it.id, c, "assigned", "", now);
    auth::audit(s, c, "feedback.assign", "feedback", std::to_string(it.id), json::object{{"handler_id", handler}});
    return staff_json(s, load_by_id(s, it.id), true);
  });
}

json::object FeedbackService::start(const auth::Caller& c, std::int64_t id) {
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    Item it = load_by_id(s, id);
    require_may_act(*this, s, c, it);
    auto next = next_status(it.status, Action::start, it.disputed);
    if (!next) throw conflict("invalid_transition", {"当前状态不能开始调查", "Cannot start investigating now"});
    s << "UPDATE feedback_items SET status = :s WHERE id = :i", soci::use(*next), soci::use(it.id);
    add_event(s, it.id, c, "investigating", "", now);
    auth::audit(s, c, "feedback.start", "feedback", std::to_string(it.id));
    return staff_json(s, load_by_id(s, it.id), true);
  });
}

json::object FeedbackService::answer(const auth::Caller& c, std::int64_t id, const json::value& body) {
  JsonFields f(body);
  std::string findings = f.required_string("findings", 2000);
  check_text(findings, "findings", 2000);
  std::string handling = f.required_string("handling", 2000);
  check_text(handling, "handling", 2000);
  auto upheld = f.optional_bool("upheld");
  f.finish();
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    Item it = load_by_id(s, id);
    require_may_act(*this, s, c, it);
    auto next = next_status(it.status, Action::answer, it.disputed);
    if (!next) throw conflict("invalid_transition", {"当前状态不能反馈", "Cannot give feedback in the current status"});
    if (it.kind == "complaint" && !upheld)
      throw bad_request("missing_field", {"请说明投诉是否属实", "Say whether the complaint is upheld"}, "upheld");
    // B1 via C3: what handlers write back to the student passes the courtesy check.
    deps_.courtesy->enforce(s, c, findings, "feedback.answer", "findings");
    deps_.courtesy->enforce(s, c, handling, "feedback.answer", "handling");
    std::optional<int> up;
    if (upheld) up = *upheld ? 1 : 0;
    long long handler = c.principal.user_id;
    s << "UPDATE feedback_items SET status = :s, findings = :f, handling = :h, upheld = :u, answered_at = :t, "
         "handler_id = COALESCE(handler_id, :me), acknowledged_at = COALESCE(acknowledged_at, :t2) WHERE id = :i",
        soci::use(*next), soci::use(findings), soci::use(handling), soci::use(up), soci::use(now), soci::use(handler),
        soci::use(now), soci::use(it.id);
    add_event(s, it.id, c, "answered", "", now);
    auth::audit(s, c, "feedback.answer", "feedback", std::to_string(it.id),
                json::object{{"upheld", up ? json::value(*up != 0) : json::value(nullptr)}});
    return staff_json(s, load_by_id(s, it.id), true);
  });
}

json::object FeedbackService::close(const auth::Caller& c, std::int64_t id, const json::value& body) {
  JsonFields f(body);
  std::string note = f.optional_string("note", 500).value_or("");
  check_text(note, "note", 500, true);
  f.finish();
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    Item it = load_by_id(s, id);
    if (!is_teacher(c.principal)) throw forbidden();
    auto next = next_status(it.status, Action::close, it.disputed);
    if (!next) throw conflict("invalid_transition", {"当前状态不能结案", "Cannot close in the current status"});
    std::string outcome = "closed_after_dispute";
    s << "UPDATE feedback_items SET status = :s, outcome = :o, closed_at = :t WHERE id = :i", soci::use(*next),
        soci::use(outcome), soci::use(now), soci::use(it.id);
    add_event(s, it.id, c, "closed", note, now);
    auth::audit(s, c, "feedback.close", "feedback", std::to_string(it.id));
    return staff_json(s, load_by_id(s, it.id), true);
  });
}

std::pair<std::string, std::string> FeedbackService::attachment(const auth::Caller& c, std::int64_t id,
                                                                std::int64_t att) {
  return deps_.db->read([&](soci::session& s) {
    if (!auth::has_permission(c.principal, "feedback.oversee") && !is_handler(s, c.principal)) throw forbidden();
    if (concerns(c.principal, load_by_id(s, id))) throw about_you();
    std::string type, b64;
    long long iid = id, aid = att;
    s << "SELECT content_type, data_b64 FROM feedback_attachments WHERE id = :a AND item_id = :i", soci::use(aid),
        soci::use(iid), soci::into(type), soci::into(b64);
    if (!s.got_data()) throw not_found("attachment_not_found", {"附件不存在", "Attachment not found"});
    return std::make_pair(type, wechat::base64_decode(b64).value_or(std::string()));
  });
}

json::object FeedbackService::stats(const auth::Caller& c, std::optional<long long> from, std::optional<long long> to) {
  if (!auth::has_permission(c.principal, "feedback.oversee")) throw forbidden();
  return deps_.db->read([&](soci::session& s) {
    long long lo = from.value_or(0), hi = to.value_or(INT64_MAX / 2);
    auto group = [&](const std::string& expr, const std::string& join) {
      json::array out;
      std::vector<Bind> b{lo, hi};
      queue::store::query(s,
                          "SELECT " + expr + ", COUNT(*) FROM feedback_items f " + join +
                              " WHERE f.created_at >= :lo AND f.created_at < :hi GROUP BY " + expr + " ORDER BY 2 DESC",
                          b, [&](const soci::row& r) {
                            out.push_back(json::object{{"key", col_str(r, 0)}, {"count", col_i64(r, 1)}});
                          });
      return out;
    };
    long long total = 0, answered = 0, disputed = 0, upheld = 0, complaints = 0, overdue = 0;
    double hours_sum = 0;
    std::vector<Bind> b{lo, hi};
    long long now = Clock::now();
    queue::store::query(s,
                        "SELECT kind, status, created_at, answered_at, disputed, upheld, ack_due_at, feedback_due_at "
                        "FROM feedback_items WHERE created_at >= :lo AND created_at < :hi",
                        b, [&](const soci::row& r) {
                          ++total;
                          if (col_str(r, 0) == "complaint") ++complaints;
                          auto ans = col_opt_i64(r, 3);
                          if (ans) {
                            ++answered;
                            hours_sum += static_cast<double>(*ans - col_i64(r, 2)) / 3600000.0;
                          }
                          if (col_i64(r, 4)) ++disputed;
                          if (col_opt_i64(r, 5).value_or(0) == 1) ++upheld;
                          if (deadline_state(col_str(r, 1), now, col_i64(r, 6), col_i64(r, 7)) == "overdue") ++overdue;
                        });
    return json::object{
        {"total", total},
        {"complaints", complaints},
        {"upheld", upheld},
        {"overdue", overdue},
        {"answered", answered},
        {"avg_hours_to_feedback", answered ? hours_sum / static_cast<double>(answered) : 0.0},
        // Dispute rate: answered items the student disputed, over answered items.
        {"dispute_rate", answered ? static_cast<double>(disputed) / static_cast<double>(answered) : 0.0},
        {"by_category", group("f.category", "")},
        {"by_channel", group("f.channel", "")},
        {"by_kind", group("f.kind", "")},
        {"by_status", group("f.status", "")},
        {"by_unit", group("COALESCE(u.name, '')", "LEFT JOIN units u ON u.id = f.target_unit_id")}};
  });
}

json::array FeedbackService::staff_counts(const auth::Caller& c) {
  if (!auth::has_permission(c.principal, "feedback.oversee")) throw forbidden();
  return deps_.db->read([&](soci::session& s) {
    json::array out;
    std::vector<Bind> b;
    // Upheld complaints against a staff member feed that member's assessment (C3, D4).
    queue::store::query(s,
                        "SELECT f.target_staff_id, u.name, COUNT(*), SUM(CASE WHEN f.upheld = 1 THEN 1 ELSE 0 END) FROM "
                        "feedback_items f JOIN users u ON u.id = f.target_staff_id WHERE f.kind = 'complaint' GROUP BY "
                        "f.target_staff_id, u.name ORDER BY 4 DESC, 1",
                        b, [&](const soci::row& r) {
                          out.push_back(json::object{{"staff_id", col_i64(r, 0)},
                                                     {"name", col_str(r, 1)},
                                                     {"complaints", col_i64(r, 2)},
                                                     {"upheld_complaints", col_i64(r, 3)}});
                        });
    return out;
  });
}

// --- WeChat -------------------------------------------------------------------

std::string FeedbackService::wechat_message(const std::map<std::string, std::string>& msg, const std::string& nonce) {
  auto field = [&](const char* k) {
    auto it = msg.find(k);
    return it == msg.end() ? std::string() : it->second;
  };
  std::string openid = field("FromUserName");
  std::string type = field("MsgType");
  long long now = Clock::now();
  auth::Caller caller;
  caller.principal.login = "wechat:" + openid.substr(0, 64);
  caller.address = "wechat";
  return deps_.db->write([&](soci::session& s) -> std::string {
    // Replay protection: the nonce is remembered for the timestamp window.
    long long horizon = now - 2LL * deps_.config.wechat.timestamp_window_seconds * 1000;
    s << "DELETE FROM wechat_nonces WHERE seen_at < :h", soci::use(horizon);
    long long seen = 0;
    s << "SELECT COUNT(*) FROM wechat_nonces WHERE nonce = :n", soci::use(nonce), soci::into(seen);
    if (seen) throw ApiError(403, "replayed_nonce", {"重复的请求", "Replayed request"});
    s << "INSERT INTO wechat_nonces (nonce, seen_at) VALUES (:n, :t)", soci::use(nonce), soci::use(now);

    if (openid.empty() || openid.size() > 128) return "";
    if (type == "event") {
      if (field("Event") == "subscribe")
        return "欢迎关注学生事务服务大厅！发送“投诉+内容”或“建议+内容”提交投诉建议，发送“查询 追踪号”查询进度。";
      return "";
    }
    if (type != "text")
      return "您好！本公众号可受理文字投诉和建议：发送“投诉+内容”或“建议+内容”，发送“查询 追踪号”查询进度。";
    WechatIntent in = classify_wechat_text(field("Content"));
    std::optional<long long> student;
    {
      long long sid = 0;
      soci::indicator ind;
      s << "SELECT student_id FROM wechat_bindings WHERE openid = :o", soci::use(openid), soci::into(sid, ind);
      if (s.got_data()) student = sid;
    }
    switch (in.kind) {
      case WechatIntent::complaint:
      case WechatIntent::suggestion: {
        if (in.text.empty() || !is_valid_utf8(in.text) || utf8_length(in.text) > 2000)
          return in.kind == WechatIntent::complaint ? "请在“投诉”后写明投诉内容，例如：投诉 某窗口工作人员态度不好。"
                                                    : "请在“建议”后写明建议内容，例如：建议 延长中午开放时间。";
        std::string clean;
        for (char ch : in.text)
          if (static_cast<unsigned char>(ch) >= 0x20 || ch == '\n' || ch == '\t') clean += ch;
        std::string kind = in.kind == WechatIntent::complaint ? "complaint" : "suggestion";
        std::string phone = student ? student_phone(s, *student) : std::string();
        auto created = create(s, caller, kind, "other", "wechat", clean, student, "", phone, openid, nullptr, nullptr, now);
        std::string no = created.at("tracking_no").as_string().c_str();
        return fmt::format("已收到您的{}，追踪号：{}。我们将在 {} 个工作日内反馈，发送“查询 {}”可查看进度。",
                           kind == "complaint" ? "投诉" : "建议", no, kFeedbackWorkingDays, no);
      }
      case WechatIntent::query: {
        auto it = load(s, "f.tracking_no = :t", {normalize_tracking_no(in.text)});
        std::optional<std::string> owner;
        if (it) s << "SELECT wechat_openid FROM feedback_items WHERE id = :i", soci::use(it->id), soci::into(owner);
        // Only the sender (or the bound student who filed it) may query.
        if (!it || !((owner && *owner == openid) || (student && it->student_id == student)))
          return "未找到该追踪号对应的投诉建议，请核对后再试。";
        static const std::map<std::string, std::string> names = {{"received", "已受理"},
                                                                 {"assigned", "已分派处理人"},
                                                                 {"investigating", "调查处理中"},
                                                                 {"answered", "已反馈"},
                                                                 {"closed", "已办结"}};
        std::string text = "追踪号 " + it->tracking_no + "：" + names.at(it->status) + "。";
        if (it->findings) text += "\n调查结果：" + *it->findings;
        if (it->handling) text += "\n处理意见：" + *it->handling;
        return text;
      }
      case WechatIntent::bind: {
        // Six digits: guesses are limited per WeChat account, and codes live kBindCodeLifetimeMs.
        if (std::int64_t wait = bind_by_openid_.retry_after_ms(openid, now); wait > 0)
          return fmt::format("绑定码错误次数过多，请 {} 分钟后再试。", (wait + 59999) / 60000);
        long long sid = 0;
        soci::indicator ind;
        s << "DELETE FROM wechat_bind_codes WHERE expires_at < :n", soci::use(now);
        s << "SELECT student_id FROM wechat_bind_codes WHERE code = :c AND expires_at >= :n", soci::use(in.text),
            soci::use(now), soci::into(sid, ind);
        if (!s.got_data() || in.text.empty()) {
          bind_by_openid_.record_failure(openid, now);
          return "绑定码无效或已过期，请在网上服务大厅重新获取。";
        }
        bind_by_openid_.clear(openid);
        s << "DELETE FROM wechat_bind_codes WHERE code = :c", soci::use(in.text);
        s << "DELETE FROM wechat_bindings WHERE openid = :o", soci::use(openid);
        s << "INSERT INTO wechat_bindings (openid, student_id, bound_at) VALUES (:o, :s, :t)", soci::use(openid),
            soci::use(sid), soci::use(now);
        auth::audit(s, caller, "wechat.bind", "user", std::to_string(sid));
        return "绑定成功！此后您通过公众号提交的投诉建议将关联到您的账户。";
      }
      case WechatIntent::help:
        break;
    }
    return "您好！发送“投诉+内容”或“建议+内容”提交投诉建议，发送“查询 追踪号”查询进度，发送“绑定 绑定码”关联学生账户。";
  });
}

}  // namespace hall::feedback
