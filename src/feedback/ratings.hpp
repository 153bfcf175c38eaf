// Ratings (好差评, B5): once per finished ticket or completed case; a ticket at the
// window's rating pad (only after the service there is finished) or in the
// portal within 7 days, a case in the portal within 7 days of its completion;
// never by staff. Bad ratings open return visits for the teacher; staff may appeal.
#pragma once

#include "feedback/module.hpp"

#include <soci/soci.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "auth/principal.hpp"
#include "core/json.hpp"

namespace hall::feedback {

// One rating as stored: exactly one of ticket_id / case_id (a CHECK since 0010),
// with the service's window, staff member, unit and item so that every
// satisfaction figure (per window, staff, unit, item, period) counts it.
struct RatingRow {
  std::optional<long long> ticket_id, case_id;
  long long student_id = 0;
  std::optional<long long> window_id, staff_id, unit_id, item_id, device_id;
  int level = 1;
  std::string comment, tags, channel;  // channel: pad / portal
  long long created_at = 0;
};
// Inserts the rating and, for 不满意 / 非常不满意, its return visit due at
// `visit_due` (B5: every bad rating gets one). Inside the caller's transaction;
// returns the rating's id and whether a return visit was opened. Used by the
// service and by the demo data, so both store exactly the same rows.
std::pair<long long, bool> insert_rating(soci::session& s, const RatingRow& r, long long visit_due);
// What a rating of case `case_id` stores about the service (its student, handler,
// unit, item, window) as the portal fills it; nullopt when there is no such case
// or it has no student. Level, texts, channel and instant are left to the caller.
std::optional<RatingRow> case_rating_row(soci::session& s, long long case_id);

class RatingService {
 public:
  explicit RatingService(Deps& deps) : deps_(deps) {}
  json::object pad_pending(const auth::Caller& c);
  json::object submit_pad(const auth::Caller& c, const json::value& body);
  // The student's finished tickets and completed cases still open to rating (7 days).
  json::array my_ratable(const auth::Caller& c);
  // {"ticket_id": …} or {"case_id": …} (exactly one), level, comment, tags.
  json::object submit_portal(const auth::Caller& c, const json::value& body);
  // group: window / staff / unit / item / day (period); from/to: instants in ms.
  json::object satisfaction(const auth::Caller& c, const std::string& group, std::optional<long long> from,
                            std::optional<long long> to);
  // The teacher: every rating with its ticket or case. Staff: their own, without
  // any key back to the student (see staff_list in ratings.cpp).
  json::object list(const auth::Caller& c, std::optional<long long> max_level_from, const std::string& appeal);
  json::array return_visits(const auth::Caller& c, const std::string& status);
  json::object finish_return_visit(const auth::Caller& c, std::int64_t id, const std::string& note);
  // A staff member appeals a rating of their own service, named by its ref from the list.
  json::object appeal(const auth::Caller& c, const std::string& ref, const std::string& reason);
  json::object decide_appeal(const auth::Caller& c, std::int64_t rating_id, bool uphold,
                             const std::string& note);

 private:
  json::object submit(const auth::Caller& c, const json::value& body, bool pad);
  json::object staff_list(const auth::Caller& c, std::optional<long long> min_level,
                          const std::string& appeal);
  // The key of the references shown to staff, kept in settings (the same in every server process).
  std::string ref_key();
  Deps& deps_;
  std::mutex key_mu_;
  std::string ref_key_;
};

}  // namespace hall::feedback
