// Ratings (好差评, B5): once per finished ticket, at the window's rating pad (only
// after the service there is finished) or in the portal within 7 days; never by
// staff. Bad ratings open return visits for the teacher; staff may appeal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "core/json.hpp"

namespace hall {
struct App;
}

namespace hall::feedback {

class RatingService {
 public:
  explicit RatingService(App& app) : app_(app) {}
  json::object pad_pending(const auth::Caller& c);
  json::object submit_pad(const auth::Caller& c, const json::value& body);
  json::array my_ratable(const auth::Caller& c);
  json::object submit_portal(const auth::Caller& c, const json::value& body);
  // group: window / staff / unit / item / day (period); from/to: instants in ms.
  json::object satisfaction(const auth::Caller& c, const std::string& group, std::optional<long long> from,
                            std::optional<long long> to);
  json::object list(const auth::Caller& c, std::optional<long long> max_level_from, const std::string& appeal);
  json::array return_visits(const auth::Caller& c, const std::string& status);
  json::object finish_return_visit(const auth::Caller& c, std::int64_t id, const json::value& body);
  json::object appeal(const auth::Caller& c, std::int64_t rating_id, const json::value& body);
  json::object decide_appeal(const auth::Caller& c, std::int64_t rating_id, const json::value& body);

 private:
  json::object submit(const auth::Caller& c, const json::value& body, bool pad);
  App& app_;
};

}  // namespace hall::feedback
