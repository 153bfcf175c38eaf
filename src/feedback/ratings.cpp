#include "feedback/ratings.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "calendar/service.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "feedback/model.hpp"
#include "queue/store.hpp"
#include "feedback/module.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "courtesy/service.hpp"

namespace hall::feedback {

using queue::store::Bind;
using queue::store::col_i64;
using queue::store::col_opt_i64;
using queue::store::col_str;

namespace {

const char* kTicketCols =
    "t.id, t.number, t.student_id, t.window_id, t.item_id, t.finished_at, t.status, ci.name, "
    "ws.staff_id, w.unit_id, "
    "su.name, w.number";
const char* kTicketFrom =
    " FROM queue_tickets t LEFT JOIN catalog_item_versions ci ON ci.id = t.item_version_id LEFT "
    "JOIN queue_window_sessions ws ON ws.id = "
    "t.session_id LEFT JOIN windows w ON w.id = t.window_id LEFT JOIN users su ON su.id = "
    "ws.staff_id";

struct Ticket {
  long long id = 0, student_id = 0, finished_at = 0;
  std::string number, status, item_name, staff_name;
  std::optional<long long> window_id, item_id, staff_id, unit_id, window_no;
};
Ticket read_ticket(const soci::row& r) {
  Ticket t;
  t.id = col_i64(r, 0);
  t.number = col_str(r, 1);
  t.student_id = col_i64(r, 2);
  t.window_id = col_opt_i64(r, 3);
  t.item_id = col_opt_i64(r, 4);
  t.finished_at = col_i64(r, 5);
  t.status = col_str(r, 6);
  t.item_name = col_str(r, 7);
  t.staff_id = col_opt_i64(r, 8);
  t.unit_id = col_opt_i64(r, 9);
  t.staff_name = col_str(r, 10);
  t.window_no = col_opt_i64(r, 11);
  return t;
}
json::object ticket_json_base(const Ticket& t) {
  return json::object{
      {"ticket_id", t.id},
      {"number", t.number},
      {"item_name", t.item_name},
      {"staff_name", t.staff_name},
      {"window_number", t.window_no ? json::value(*t.window_no) : json::value(nullptr)},
      {"finished_at", iso8601_utc(t.finished_at)}};
}
json::object ticket_json(const Ticket& t) {
  json::object o = ticket_json_base(t);
  o["target"] = "ticket";
  return o;
}
bool rated(soci::session& s, const char* column, long long id) {
  long long n = 0;
  s << std::string("SELECT COUNT(*) FROM feedback_ratings WHERE ") + column + " = :t",
      soci::use(id), soci::into(n);
  return n > 0;
}

// A case as rated (B5): its student, status and completion; the staff member is its
// handler (or, when none was assigned, its first responder), the unit that of the
// item version it was handled under (else the item's, else the handler's), the
// window that of the ticket it was opened from, if any.
const char* kCaseCols =
    "c.id, c.case_no, c.student_id, c.status, c.completed_at, c.item_id, "
    "COALESCE(c.handler_id, c.first_responder_id), t.window_id, "
    "COALESCE(v.unit_id, ci.unit_id, sf.unit_id), COALESCE(v.name, c.summary), hu.name, w.number";
const char* kCaseFrom =
    " FROM cases c LEFT JOIN queue_tickets t ON t.id = c.ticket_id"
    " LEFT JOIN windows w ON w.id = t.window_id"
    " LEFT JOIN catalog_item_versions v ON v.id = c.item_version_id"
    " LEFT JOIN catalog_items ci ON ci.id = c.item_id"
    " LEFT JOIN users hu ON hu.id = COALESCE(c.handler_id, c.first_responder_id)"
    " LEFT JOIN staff sf ON sf.user_id = COALESCE(c.handler_id, c.first_responder_id)";

struct Case {
  long long id = 0;
  std::string case_no, status, item_name, staff_name;
  std::optional<long long> student_id, completed_at, item_id, staff_id, window_id, unit_id,
      window_no;
};
Case read_case(const soci::row& r) {
  Case k;
  k.id = col_i64(r, 0);
  k.case_no = col_str(r, 1);
  k.student_id = col_opt_i64(r, 2);
  k.status = col_str(r, 3);
  k.completed_at = col_opt_i64(r, 4);
  k.item_id = col_opt_i64(r, 5);
  k.staff_id = col_opt_i64(r, 6);
  k.window_id = col_opt_i64(r, 7);
  k.unit_id = col_opt_i64(r, 8);
  k.item_name = col_str(r, 9);
  k.staff_name = col_str(r, 10);
  k.window_no = col_opt_i64(r, 11);
  return k;
}
json::object case_json(const Case& k) {
  return json::object{
      {"target", "case"},
      {"case_id", k.id},
      {"case_no", k.case_no},
      {"number", k.case_no},
      {"item_name", k.item_name},
      {"staff_name", k.staff_name},
      {"window_number", k.window_no ? json::value(*k.window_no) : json::value(nullptr)},
      {"finished_at",
       k.completed_at ? json::value(iso8601_utc(*k.completed_at)) : json::value(nullptr)}};
}
ApiError case_not_found() { return not_found("case_not_found", {"找不到该办件", "No such case"}); }
bool is_oversee(const auth::Principal& p) { return auth::has_permission(p, "feedback.oversee"); }

}  // namespace

json::object RatingService::pad_pending(const auth::Caller& c) {
  if (!c.principal.is_device() || c.principal.role != "rating_pad" || c.principal.window_id == 0)
    throw forbidden();
  long long since = Clock::now() - kPadRatingMinutes * 60LL * 1000;
  return deps_.db->read([&](soci::session& s) {
    // B5: the pad asks only once the service at its window is finished.
    std::optional<Ticket> t;
    std::vector<Bind> b{static_cast<long long>(c.principal.window_id), since};
    queue::store::query(s,
                        std::string("SELECT ") + kTicketCols + kTicketFrom +
                            " WHERE t.window_id = :w AND t.status = 'done' AND t.finished_at >= "
                            ":since AND NOT EXISTS "
                            "(SELECT 1 FROM feedback_ratings r WHERE r.ticket_id = t.id) ORDER BY "
                            "t.finished_at DESC",
                        b, [&](const soci::row& r) {
                          if (!t) t = read_ticket(r);
                        });
    return json::object{{"ticket", t ? json::value(ticket_json(*t)) : json::value(nullptr)},
                        {"levels", json::value_from(rating_levels())},
                        {"tags", json::value_from(rating_tags())}};
  });
}

std::pair<long long, bool> insert_rating(soci::session& s, const RatingRow& r,
                                         long long visit_due) {
  s << "INSERT INTO feedback_ratings (ticket_id, case_id, student_id, window_id, staff_id, "
       "unit_id, item_id, level, comment, tags, channel, device_id, created_at) "
       "VALUES (:t, :k, :st, :w, :sf, :u, :i, :l, :c, :tg, :ch, :d, :now)",
      soci::use(r.ticket_id), soci::use(r.case_id), soci::use(r.student_id), soci::use(r.window_id),
      soci::use(r.staff_id), soci::use(r.unit_id), soci::use(r.item_id), soci::use(r.level),
      soci::use(r.comment), soci::use(r.tags), soci::use(r.channel), soci::use(r.device_id),
      soci::use(r.created_at);
  long long id = 0;
  if (r.ticket_id)
    s << "SELECT id FROM feedback_ratings WHERE ticket_id = :t", soci::use(*r.ticket_id),
        soci::into(id);
  else
    s << "SELECT id FROM feedback_ratings WHERE case_id = :k", soci::use(*r.case_id),
        soci::into(id);
  // B5: every 不满意 / 非常不满意 opens a return visit for the responsible teacher (100%).
  bool visit = is_bad_rating(r.level);
  if (visit) {
    std::string open = "open";
    s << "INSERT INTO feedback_return_visits (rating_id, status, due_at, created_at) "
         "VALUES (:r, :s, :d, :n)",
        soci::use(id), soci::use(open), soci::use(visit_due), soci::use(r.created_at);
  }
  return {id, visit};
}

namespace {
RatingRow row_of(const Case& k) {
  RatingRow row;
  row.case_id = k.id;
  row.student_id = k.student_id.value_or(0);
  row.window_id = k.window_id;
  row.staff_id = k.staff_id;
  row.unit_id = k.unit_id;
  row.item_id = k.item_id;
  return row;
}
std::optional<Case> find_case(soci::session& s, long long id) {
  std::optional<Case> k;
  std::vector<Bind> b{id};
  queue::store::query(s, std::string("SELECT ") + kCaseCols + kCaseFrom + " WHERE c.id = :id", b,
                      [&](const soci::row& r) { k = read_case(r); });
  return k;
}
}  // namespace

std::optional<RatingRow> case_rating_row(soci::session& s, long long case_id) {
  auto k = find_case(s, case_id);
  if (!k || !k->student_id) return std::nullopt;
  return row_of(*k);
}

json::object RatingService::submit(const auth::Caller& c, const json::value& body, bool pad) {
  JsonFields f(body);
  // The pad rates the ticket just finished at its window; the portal a ticket or a case (exactly
  // one).
  std::optional<long long> ticket_id, case_id;
  if (pad) {
    ticket_id = f.required_int("ticket_id", 1);
  } else {
    ticket_id = f.optional_int("ticket_id", 1);
    case_id = f.optional_int("case_id", 1);
    if (ticket_id && case_id)
      throw bad_request(
          "one_target",
          {"一次只能评价一张号票或一个办件", "Rate either a ticket or a case, not both"},
          "case_id");
    if (!ticket_id && !case_id)
      throw bad_request("missing_field",
                        {"请指明要评价的号票或办件", "Name the ticket or the case to rate"},
                        "ticket_id");
  }
  int level = static_cast<int>(f.required_int("level", 1, 5));
  std::string comment = f.optional_string("comment", 500).value_or("");
  check_text(comment, "comment", 500, true);
  std::string tags;
  if (const auto* arr = f.optional_array("tags")) {
    for (const auto& v : *arr) {
      if (!v.is_string() || !is_one_of(rating_tags(), std::string(v.as_string())))
        throw bad_request("invalid_tag", {"评价标签无效", "Unknown tag"}, "tags");
      std::string tag(v.as_string());
      if (("," + tags + ",").find("," + tag + ",") != std::string::npos) continue;
      tags += (tags.empty() ? "" : ",") + tag;
    }
  }
  f.finish();
  long long now = Clock::now();
  auto start = calendar::Instant(std::chrono::seconds(now / 1000));
  long long visit_due =
      deps_.calendar->deadline(0, start, kReturnVisitWorkingDays).time_since_epoch().count() *
      1000LL;
  // Two ratings of one service at the same moment (PostgreSQL runs them side by side): the
  // loser meets the UNIQUE constraint on ticket_id / case_id and gets the same 409 as later.
  try {
    return deps_.db->write([&](soci::session& s) {
      RatingRow row;
      row.level = level;
      row.comment = comment;
      row.tags = tags;
      row.channel = pad ? "pad" : "portal";
      row.created_at = now;
      json::object what;
      if (case_id) {
        std::optional<Case> k = find_case(s, *case_id);
        // A student rates only their own case; another's does not exist for them (as in the case
        // portal).
        if (!k || !k->student_id || *k->student_id != c.principal.user_id) throw case_not_found();
        // B5: only a completed case is a finished service. A refused case (不予受理) or one
        // referred to another office (B6.1) ended without the service being done here.
        auto refusal = rating_refusal(k->status == "completed" && k->completed_at,
                                      k->completed_at.value_or(0), now, false);
        if (refusal == RatingRefusal::not_finished)
          throw conflict("service_not_finished",
                         {"办件办结后才能评价", "Rate a case once it is completed"});
        if (refusal == RatingRefusal::closed)
          throw conflict("rating_closed", {"办件办结 7 天后不能再评价",
                                           "Ratings close 7 days after the case is completed"});
        if (rated(s, "case_id", k->id))
          throw conflict("already_rated", {"该次服务已评价", "This service has been rated"});
        RatingRow target = row_of(*k);
        target.level = row.level;
        target.comment = row.comment;
        target.tags = row.tags;
        target.channel = row.channel;
        target.created_at = row.created_at;
        row = target;
        what = json::object{{"case_id", k->id}};
      } else {
        std::optional<Ticket> t;
        std::vector<Bind> b{*ticket_id};
        queue::store::query(
            s, std::string("SELECT ") + kTicketCols + kTicketFrom + " WHERE t.id = :id", b,
            [&](const soci::row& r) { t = read_ticket(r); });
        if (!t) throw not_found("ticket_not_found", {"未找到该号票", "Ticket not found"});
        if (pad) {
          if (!t->window_id || *t->window_id != c.principal.window_id)
            throw not_found("ticket_not_found", {"未找到该号票", "Ticket not found"});
          row.device_id = c.principal.device_id;
        } else if (t->student_id != c.principal.user_id) {
          throw not_found("ticket_not_found", {"未找到该号票", "Ticket not found"});
        }
        auto refusal = rating_refusal(t->status == "done", t->finished_at, now, pad);
        if (refusal == RatingRefusal::not_finished)
          throw conflict("service_not_finished",
                         {"办理结束后才能评价", "Rate once the service is finished"});
        if (refusal == RatingRefusal::closed)
          throw conflict(
              "rating_closed",
              pad ? Text{"评价已超时，请在网上大厅评价", "Too late at the pad; rate in the portal"}
                  : Text{"服务结束 7 天后不能再评价", "Ratings close 7 days after the service"});
        if (rated(s, "ticket_id", t->id))
          throw conflict("already_rated", {"该次服务已评价", "This service has been rated"});
        row.ticket_id = t->id;
        row.student_id = t->student_id;
        row.window_id = t->window_id;
        row.staff_id = t->staff_id;
        row.unit_id = t->unit_id;
        row.item_id = t->item_id;
        what = json::object{{"ticket_id", t->id}};
      }
      auto [id, visit] = insert_rating(s, row, visit_due);
      what["level"] = level;
      what["channel"] = row.channel;
      auth::audit(s, c, "rating.create", "rating", std::to_string(id), what);
      json::object out{{"id", id},
                       {"level", level},
                       {"level_name", rating_levels()[level - 1]},
                       {"return_visit", visit}};
      out["target"] = case_id ? "case" : "ticket";
      return out;
    });
  } catch (const std::exception& e) {
    if (!dynamic_cast<const ApiError*>(&e) && db::is_unique_violation(e))
      throw conflict("already_rated", {"该次服务已评价", "This service has been rated"});
    throw;
  }
}

json::object RatingService::submit_pad(const auth::Caller& c, const json::value& body) {
  if (!c.principal.is_device() || c.principal.role != "rating_pad" || c.principal.window_id == 0)
    throw forbidden();
  return submit(c, body, true);
}

json::object RatingService::submit_portal(const auth::Caller& c, const json::value& body) {
  // B5: staff cannot rate on the student's behalf; only the student rates their own service.
  if (!c.principal.is_student())
    throw forbidden({"只有学生本人可以评价", "Only the student served may rate the service"});
  return submit(c, body, false);
}

json::array RatingService::my_ratable(const auth::Caller& c) {
  if (!c.principal.is_student()) throw forbidden();
  long long since = Clock::now() - kPortalRatingDays * 24LL * 3600 * 1000;
  return deps_.db->read([&](soci::session& s) {
    json::array out;
    std::vector<Bind> b{static_cast<long long>(c.principal.user_id), since};
    queue::store::query(s,
                        std::string("SELECT ") + kTicketCols + kTicketFrom +
                            " WHERE t.student_id = :u AND t.status = 'done' AND t.finished_at >= "
                            ":since AND NOT EXISTS "
                            "(SELECT 1 FROM feedback_ratings r WHERE r.ticket_id = t.id) ORDER BY "
                            "t.finished_at DESC",
                        b, [&](const soci::row& r) { out.push_back(ticket_json(read_ticket(r))); });
    // B5: completed cases too, for 7 days after completion, beside the tickets.
    queue::store::query(s,
                        std::string("SELECT ") + kCaseCols + kCaseFrom +
                            " WHERE c.student_id = :u AND c.status = 'completed' AND "
                            "c.completed_at >= :since AND NOT "
                            "EXISTS (SELECT 1 FROM feedback_ratings r WHERE r.case_id = c.id) "
                            "ORDER BY c.completed_at DESC",
                        b, [&](const soci::row& r) { out.push_back(case_json(read_case(r))); });
    return out;
  });
}

json::object RatingService::satisfaction(const auth::Caller& c, const std::string& group,
                                         std::optional<long long> from,
                                         std::optional<long long> to) {
  if (!is_oversee(c.principal)) throw forbidden();
  std::string key, join;
  if (group == "window") {
    key = "COALESCE(CAST(w.number AS TEXT), '')";
    join = " LEFT JOIN windows w ON w.id = r.window_id";
  } else if (group == "staff") {
    key = "COALESCE(u.name, '')";
    join = " LEFT JOIN users u ON u.id = r.staff_id";
  } else if (group == "unit") {
    key = "COALESCE(un.name, '')";
    join = " LEFT JOIN units un ON un.id = r.unit_id";
  } else if (group == "item") {
    key = "COALESCE(ci.name, '')";
    join =
        " LEFT JOIN catalog_items it ON it.id = r.item_id LEFT JOIN catalog_item_versions ci ON "
        "ci.id = "
        "it.current_version_id";
  } else if (group.empty() || group == "all") {
    key = "'all'";
  } else {
    throw bad_request("invalid_group",
                      {"分组只能是 window、staff、unit、item 或 all",
                       "group must be window, staff, unit, item or all"},
                      "group");
  }
  long long lo = from.value_or(0), hi = to.value_or(INT64_MAX / 2);
  return deps_.db->read([&](soci::session& s) {
    json::array rows;
    std::vector<Bind> b{lo, hi};
    queue::store::query(
        s,
        "SELECT " + key +
            ", COUNT(*), SUM(CASE WHEN r.level <= 3 THEN 1 ELSE 0 END) FROM "
            "feedback_ratings r" +
            join + " WHERE r.excluded = 0 AND r.created_at >= :lo AND r.created_at < :hi" +
            (key == "'all'" ? std::string() : " GROUP BY " + key + " ORDER BY 1"),
        b, [&](const soci::row& r) {
          long long total = col_i64(r, 1), top = col_i64(r, 2);
          if (total == 0) return;  // no ratings in the period
          auto rate = satisfaction_rate(top, total);
          rows.push_back(json::object{{"key", col_str(r, 0)},
                                      {"ratings", total},
                                      {"satisfied", top},
                                      {"rate", rate ? json::value(*rate) : json::value(nullptr)},
                                      {"meets_target", rate && *rate >= kSatisfactionTarget}});
        });
    return json::object{
        {"group", group.empty() ? "all" : group}, {"target", kSatisfactionTarget}, {"rows", rows}};
  });
}

// --- what staff see of their ratings (B5, without a way back to the student) -------------

namespace {
constexpr long long kDayMs = 24LL * 3600 * 1000;
// The opaque reference of a rating shown to staff: a keyed hash of its id, so
// that neither the id (which orders ratings, hence services) nor anything else
// leads to the ticket, the case or the student.
std::string ref_of(const std::string& key, long long id) {
  ensure_sodium();
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  std::string msg = "rating:" + std::to_string(id);
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(msg.data()),
                                msg.size());
  crypto_auth_hmacsha256_final(&st, mac);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}
}  // namespace

std::string RatingService::ref_key() {
  std::lock_guard lock(key_mu_);
  if (!ref_key_.empty()) return ref_key_;
  auto read = [&] {
    return deps_.db->read([&](soci::session& s) {
      std::string v;
      soci::indicator ind = soci::i_null;
      s << "SELECT value FROM settings WHERE key = 'ratings.ref_key'", soci::into(v, ind);
      return s.got_data() && ind == soci::i_ok ? v : std::string();
    });
  };
  ref_key_ = read();
  if (ref_key_.empty()) {
    try {
      deps_.db->write([&](soci::session& s) {
        std::string v = random_token();
        s << "INSERT INTO settings (key, value) VALUES ('ratings.ref_key', :v)", soci::use(v);
      });
    } catch (const std::exception& e) {
      if (!db::is_unique_violation(e)) throw;  // another server process made it first
    }
    ref_key_ = read();
  }
  return ref_key_;
}

json::object RatingService::list(const auth::Caller& c, std::optional<long long> min_level,
                                 const std::string& appeal) {
  bool oversee = is_oversee(c.principal);
  if (!oversee && !(c.principal.is_user() && c.principal.role == "staff")) throw forbidden();
  if (!oversee) return staff_list(c, min_level, appeal);
  return deps_.db->read([&](soci::session& s) {
    std::string where = " WHERE r.level >= :lvl";
    std::vector<Bind> b{min_level.value_or(1)};
    if (!appeal.empty()) {
      where += " AND r.appeal_status = :ap";
      b.push_back(appeal);
    }
    json::array out;
    queue::store::query(
        s,
        "SELECT r.id, r.ticket_id, COALESCE(t.number, k.case_no), r.level, r.comment, r.tags, "
        "r.channel, r.created_at, "
        "r.appeal_status, r.appeal_reason, r.appeal_note, su.name, w.number, v.status, v.due_at, "
        "r.case_id FROM "
        "feedback_ratings r LEFT JOIN queue_tickets t ON t.id = r.ticket_id LEFT JOIN cases k ON "
        "k.id = r.case_id LEFT "
        "JOIN users su ON su.id = r.staff_id LEFT JOIN windows w ON w.id = r.window_id LEFT JOIN "
        "feedback_return_visits v "
        "ON v.rating_id = r.id" +
            where + " ORDER BY r.id DESC",
        b, [&](const soci::row& r) {
          auto ticket = col_opt_i64(r, 1), kase = col_opt_i64(r, 15);
          json::object o{
              {"id", col_i64(r, 0)},
              // What was rated: a ticket (number = its number) or a case (number = the case
              // number).
              {"target", kase ? "case" : "ticket"},
              {"ticket_id", ticket ? json::value(*ticket) : json::value(nullptr)},
              {"case_id", kase ? json::value(*kase) : json::value(nullptr)},
              {"number", col_str(r, 2)},
              {"level", col_i64(r, 3)},
              {"level_name", rating_levels()[static_cast<std::size_t>(col_i64(r, 3) - 1)]},
              {"comment", col_str(r, 4)},
              {"tags", col_str(r, 5)},
              {"channel", col_str(r, 6)},
              {"created_at", iso8601_utc(col_i64(r, 7))},
              {"appeal_status", col_str(r, 8)},
              {"appeal_reason", col_str(r, 9)},
              {"appeal_note", col_str(r, 10)},
              {"staff_name", col_str(r, 11)},
              {"window_number",
               col_opt_i64(r, 12) ? json::value(*col_opt_i64(r, 12)) : json::value(nullptr)},
              {"return_visit_status", col_str(r, 13)}};
          out.push_back(o);
        });
    return json::object{{"items", out}};
  });
}

// Staff see the ratings of their own services (to know how they do and to
// appeal), but nothing that leads back to a student (B5 ratings are given
// freely only if staff cannot tell who gave them): no ticket, case, number,
// window or instant — only the local date, and only from the day after (a
// rating at the pad right after a service would otherwise name the person just
// served); ordered by date and an opaque reference, never by submission; the
// reference (ref) is what an appeal names. The teacher (feedback.oversee) sees all.
json::object RatingService::staff_list(const auth::Caller& c, std::optional<long long> min_level,
                                       const std::string& appeal) {
  std::string key = ref_key();
  int off = deps_.config.utc_offset_minutes;
  long long now = Clock::now();
  long long local_now = now + off * 60000LL;
  long long today_start = local_now - ((local_now % kDayMs) + kDayMs) % kDayMs - off * 60000LL;
  return deps_.db->read([&](soci::session& s) {
    std::string where = " WHERE r.staff_id = :me AND r.created_at < :today";
    std::vector<Bind> b{static_cast<long long>(c.principal.user_id), today_start};
    struct Row {
      std::string ref, date;
      json::object o;
    };
    std::vector<Row> rows;
    long long total = 0, satisfied = 0;
    queue::store::query(
        s,
        "SELECT r.id, r.level, r.comment, r.tags, r.created_at, r.appeal_status, r.appeal_reason, "
        "r.appeal_note, "
        "r.excluded FROM feedback_ratings r" +
            where,
        b, [&](const soci::row& r) {
          long long level = col_i64(r, 1);
          std::string status = col_str(r, 5);
          // Ratings excluded after an upheld appeal do not count (as for the teacher).
          if (col_i64(r, 8) == 0) {
            ++total;
            if (level <= 3) ++satisfied;
          }
          if (level < min_level.value_or(1) || (!appeal.empty() && status != appeal)) return;
          Row row;
          row.ref = ref_of(key, col_i64(r, 0));
          row.date = local_date(col_i64(r, 4), off);
          row.o = json::object{
              {"ref", row.ref},
              {"rated_on", row.date},
              {"level", level},
              {"level_name", rating_levels()[static_cast<std::size_t>(level - 1)]},
              {"comment", col_str(r, 2)},
              {"tags", col_str(r, 3)},
              {"appeal_status", status},
              {"appeal_reason", col_str(r, 6)},
              {"appeal_note", col_str(r, 7)},
              {"may_appeal", is_bad_rating(static_cast<int>(level)) && status.empty()}};
          rows.push_back(std::move(row));
        });
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      return a.date != b.date ? a.date > b.date : a.ref < b.ref;
    });
    json::array out;
    for (auto& r : rows) out.push_back(std::move(r.o));
    auto rate = satisfaction_rate(satisfied, total);
    return json::object{
        {"items", out},
        {"summary", json::object{{"ratings", total},
                                 {"satisfied", satisfied},
                                 {"rate", rate ? json::value(*rate) : json::value(nullptr)},
                                 {"target", kSatisfactionTarget},
                                 {"meets_target", rate && *rate >= kSatisfactionTarget},
                                 {"until", local_date(today_start - 1, off)}}}};
  });
}

json::array RatingService::return_visits(const auth::Caller& c, const std::string& status) {
  if (!is_oversee(c.principal)) throw forbidden();
  return deps_.db->read([&](soci::session& s) {
    json::array out;
    std::vector<Bind> b;
    std::string where;
    if (!status.empty()) {
      where = " WHERE v.status = :s";
      b.push_back(status);
    }
    long long now = Clock::now();
    queue::store::query(
        s,
        "SELECT v.id, v.rating_id, v.status, v.due_at, v.note, r.level, r.comment, "
        "COALESCE(t.number, "
        "k.case_no), u.name, st.student_no, st.phone, r.case_id FROM feedback_return_visits v JOIN "
        "feedback_ratings r ON r.id = v.rating_id LEFT JOIN queue_tickets t ON t.id = r.ticket_id "
        "LEFT "
        "JOIN cases k ON k.id = r.case_id JOIN users u ON u.id = r.student_id LEFT JOIN students "
        "st ON "
        "st.user_id = r.student_id" +
            where + " ORDER BY v.due_at",
        b, [&](const soci::row& r) {
          long long due = col_i64(r, 3);
          out.push_back(json::object{{"id", col_i64(r, 0)},
                                     {"rating_id", col_i64(r, 1)},
                                     {"status", col_str(r, 2)},
                                     {"due_at", iso8601_utc(due)},
                                     {"overdue", col_str(r, 2) == "open" && now > due},
                                     {"note", col_str(r, 4)},
                                     {"level", col_i64(r, 5)},
                                     {"comment", col_str(r, 6)},
                                     {"target", col_opt_i64(r, 11) ? "case" : "ticket"},
                                     {"number", col_str(r, 7)},
                                     {"student_name", col_str(r, 8)},
                                     {"student_no", col_str(r, 9)},
                                     {"phone", col_str(r, 10)}});
        });
    return out;
  });
}

json::object RatingService::finish_return_visit(const auth::Caller& c, std::int64_t id,
                                                const json::value& body) {
  if (!is_oversee(c.principal)) throw forbidden();
  JsonFields f(body);
  std::string note = f.required_string("note", 1000);
  check_text(note, "note", 1000);
  f.finish();
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    std::string status;
    long long vid = id;
    s << "SELECT status FROM feedback_return_visits WHERE id = :i", soci::use(vid),
        soci::into(status);
    if (!s.got_data())
      throw not_found("return_visit_not_found", {"未找到该回访", "Return visit not found"});
    if (status != "open") throw conflict("return_visit_done", {"该回访已完成", "Already done"});
    std::string done = "done";
    long long me = c.principal.user_id;
    s << "UPDATE feedback_return_visits SET status = :s, note = :n, done_at = :t, done_by = :u "
         "WHERE id = :i",
        soci::use(done), soci::use(note), soci::use(now), soci::use(me), soci::use(vid);
    auth::audit(s, c, "rating.return_visit", "return_visit", std::to_string(id));
    return json::object{{"id", vid}, {"status", done}};
  });
}

json::object RatingService::appeal(const auth::Caller& c, const std::string& ref,
                                   const json::value& body) {
  JsonFields f(body);
  std::string reason = f.required_string("reason", 1000);
  check_text(reason, "reason", 1000);
  f.finish();
  ApiError missing = not_found("rating_not_found", {"未找到该评价", "Rating not found"});
  if (!c.principal.is_user() || c.principal.role != "staff") throw missing;
  std::string key = ref_key();
  return deps_.db->write([&](soci::session& s) {
    // The rating whose reference this is, among the caller's own (see staff_list).
    std::optional<long long> rid;
    std::optional<std::string> status;
    std::vector<Bind> b{static_cast<long long>(c.principal.user_id)};
    queue::store::query(s, "SELECT id, appeal_status FROM feedback_ratings WHERE staff_id = :me", b,
                        [&](const soci::row& r) {
                          if (!rid && ref_of(key, col_i64(r, 0)) == ref) {
                            rid = col_i64(r, 0);
                            status = queue::store::col_opt_str(r, 1);
                          }
                        });
    if (!rid) throw missing;
    if (status && !status->empty())
      throw conflict("appeal_exists", {"该评价已申诉", "This rating has been appealed"});
    std::string pending = "pending";
    s << "UPDATE feedback_ratings SET appeal_status = :s, appeal_reason = :r WHERE id = :i",
        soci::use(pending), soci::use(reason), soci::use(*rid);
    auth::audit(s, c, "rating.appeal", "rating", std::to_string(*rid));
    return json::object{{"ref", ref}, {"appeal_status", pending}};
  });
}

json::object RatingService::decide_appeal(const auth::Caller& c, std::int64_t rating_id,
                                          const json::value& body) {
  if (!is_oversee(c.principal)) throw forbidden();
  JsonFields f(body);
  bool uphold = f.required_bool("uphold");
  std::string note = f.required_string("note", 1000);
  check_text(note, "note", 1000);
  f.finish();
  return deps_.db->write([&](soci::session& s) {
    std::optional<std::string> status;
    long long rid = rating_id;
    s << "SELECT appeal_status FROM feedback_ratings WHERE id = :i", soci::use(rid),
        soci::into(status);
    if (!s.got_data()) throw not_found("rating_not_found", {"未找到该评价", "Rating not found"});
    if (!status || *status != "pending")
      throw conflict("no_pending_appeal", {"没有待决定的申诉", "No pending appeal"});
    std::string decided = uphold ? "upheld" : "rejected";
    int excluded = uphold ? 1 : 0;
    s << "UPDATE feedback_ratings SET appeal_status = :s, appeal_note = :n, excluded = :e WHERE id "
         "= :i",
        soci::use(decided), soci::use(note), soci::use(excluded), soci::use(rid);
    auth::audit(s, c, "rating.appeal_decision", "rating", std::to_string(rid),
                json::object{{"decision", decided}, {"note", note}});
    return json::object{{"id", rid}, {"appeal_status", decided}};
  });
}

}  // namespace hall::feedback
