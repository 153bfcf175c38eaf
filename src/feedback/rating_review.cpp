// Ratings seen by staff and the teacher (B4, B5): the lists without a way back to the student,
// return visits, appeals.
#include "feedback/rating_rows.hpp"

namespace hall::feedback {

using namespace rating_rows;

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
    db::Values b{min_level.value_or(1)};
    if (!appeal.empty()) {
      where += " AND r.appeal_status = :ap";
      b.push_back(appeal);
    }
    json::array out;
    db::query_rows(
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
    db::Values b{static_cast<long long>(c.principal.user_id), today_start};
    struct Row {
      std::string ref, date;
      json::object o;
    };
    std::vector<Row> rows;
    long long total = 0, satisfied = 0;
    db::query_rows(
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
    db::Values b;
    std::string where;
    if (!status.empty()) {
      where = " WHERE v.status = :s";
      b.push_back(status);
    }
    long long now = Clock::now();
    db::query_rows(
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
                                                const std::string& note) {
  if (!is_oversee(c.principal)) throw forbidden();
  long long now = Clock::now();
  return deps_.db->write([&](soci::session& s) {
    std::string status;
    long long vid = id;
    s << "SELECT status FROM feedback_return_visits WHERE id = :i", soci::use(vid),
        soci::into(status);
    if (!s.got_data()) throw errors::return_visit_not_found();
    if (status != "open") throw errors::return_visit_done();
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
                                   const std::string& reason) {
  ApiError missing = errors::rating_not_found();
  if (!c.principal.is_user() || c.principal.role != "staff") throw missing;
  std::string key = ref_key();
  return deps_.db->write([&](soci::session& s) {
    // The rating whose reference this is, among the caller's own (see staff_list).
    std::optional<long long> rid;
    std::optional<std::string> status;
    db::Values b{static_cast<long long>(c.principal.user_id)};
    db::query_rows(s, "SELECT id, appeal_status FROM feedback_ratings WHERE staff_id = :me", b,
                   [&](const soci::row& r) {
                     if (!rid && ref_of(key, col_i64(r, 0)) == ref) {
                       rid = col_i64(r, 0);
                       status = db::col_opt_str(r, 1);
                     }
                   });
    if (!rid) throw missing;
    if (status && !status->empty()) throw errors::appeal_exists();
    std::string pending = "pending";
    s << "UPDATE feedback_ratings SET appeal_status = :s, appeal_reason = :r WHERE id = :i",
        soci::use(pending), soci::use(reason), soci::use(*rid);
    auth::audit(s, c, "rating.appeal", "rating", std::to_string(*rid));
    return json::object{{"ref", ref}, {"appeal_status", pending}};
  });
}

json::object RatingService::decide_appeal(const auth::Caller& c, std::int64_t rating_id,
                                          bool uphold, const std::string& note) {
  if (!is_oversee(c.principal)) throw forbidden();
  return deps_.db->write([&](soci::session& s) {
    std::optional<std::string> status;
    long long rid = rating_id;
    s << "SELECT appeal_status FROM feedback_ratings WHERE id = :i", soci::use(rid),
        soci::into(status);
    if (!s.got_data()) throw errors::rating_not_found();
    if (!status || *status != "pending") throw errors::no_pending_appeal();
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
