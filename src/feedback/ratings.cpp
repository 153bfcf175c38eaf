// Ratings (B4): rating at the pad and in the portal, what a student may still rate, satisfaction
// (B5).
#include "feedback/rating_rows.hpp"

namespace hall::feedback {

using namespace rating_rows;

json::object RatingService::pad_pending(const auth::Caller& c) {
  if (!c.principal.is_device() || c.principal.role != "rating_pad" || c.principal.window_id == 0)
    throw forbidden();
  long long since = Clock::now() - kPadRatingMinutes * 60LL * 1000;
  return deps_.db->read([&](soci::session& s) {
    // B5: the pad asks only once the service at its window is finished.
    std::optional<Ticket> t;
    db::Values b{static_cast<long long>(c.principal.window_id), since};
    db::query_rows(s,
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
  db::Values b{id};
  db::query_rows(s, std::string("SELECT ") + kCaseCols + kCaseFrom + " WHERE c.id = :id", b,
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
    if (ticket_id && case_id) throw errors::one_target("case_id");
    if (!ticket_id && !case_id) throw errors::missing_field.with("ticket_id", "ticket_id");
  }
  int level = static_cast<int>(f.required_int("level", 1, 5));
  std::string comment = f.optional_string("comment", 500).value_or("");
  check_text(comment, "comment", 500, true);
  std::string tags;
  if (const auto* arr = f.optional_array("tags")) {
    for (const auto& v : *arr) {
      if (!v.is_string() || !is_one_of(rating_tags(), std::string(v.as_string())))
        throw errors::invalid_tag("tags");
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
        if (refusal == RatingRefusal::not_finished) throw errors::service_not_finished();
        if (refusal == RatingRefusal::closed) throw errors::rating_closed();
        if (rated(s, "case_id", k->id)) throw errors::already_rated();
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
        db::Values b{*ticket_id};
        db::query_rows(s, std::string("SELECT ") + kTicketCols + kTicketFrom + " WHERE t.id = :id",
                       b, [&](const soci::row& r) { t = read_ticket(r); });
        if (!t) throw errors::ticket_not_found();
        if (pad) {
          if (!t->window_id || *t->window_id != c.principal.window_id)
            throw errors::ticket_not_found();
          row.device_id = c.principal.device_id;
        } else if (t->student_id != c.principal.user_id) {
          throw errors::ticket_not_found();
        }
        auto refusal = rating_refusal(t->status == "done", t->finished_at, now, pad);
        if (refusal == RatingRefusal::not_finished) throw errors::service_not_finished();
        if (refusal == RatingRefusal::closed) throw errors::rating_closed();
        if (rated(s, "ticket_id", t->id)) throw errors::already_rated();
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
      throw errors::already_rated();
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
  if (!c.principal.is_student()) throw forbidden();
  return submit(c, body, false);
}

json::array RatingService::my_ratable(const auth::Caller& c) {
  if (!c.principal.is_student()) throw forbidden();
  long long since = Clock::now() - kPortalRatingDays * 24LL * 3600 * 1000;
  return deps_.db->read([&](soci::session& s) {
    json::array out;
    db::Values b{static_cast<long long>(c.principal.user_id), since};
    db::query_rows(s,
                   std::string("SELECT ") + kTicketCols + kTicketFrom +
                       " WHERE t.student_id = :u AND t.status = 'done' AND t.finished_at >= "
                       ":since AND NOT EXISTS "
                       "(SELECT 1 FROM feedback_ratings r WHERE r.ticket_id = t.id) ORDER BY "
                       "t.finished_at DESC",
                   b, [&](const soci::row& r) { out.push_back(ticket_json(read_ticket(r))); });
    // B5: completed cases too, for 7 days after completion, beside the tickets.
    db::query_rows(s,
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
    throw errors::invalid_group("group");
  }
  long long lo = from.value_or(0), hi = to.value_or(INT64_MAX / 2);
  return deps_.db->read([&](soci::session& s) {
    json::array rows;
    db::Values b{lo, hi};
    db::query_rows(
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

}  // namespace hall::feedback
