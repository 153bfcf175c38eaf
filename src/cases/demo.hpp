// Demo cases (is_demo = 1): a few matters of the past working days, received,
// accepted and completed by their handlers as the case desk does it (the
// materials of the item version checked, the due instant from the item's time
// limit on the working-day calendar, B6.3, the timeline), all completed on
// time: an open case would count as overdue in every later month's statistics
// as the demo database ages. Nothing is dated in the future and none belongs to
// 2023001001…2023001010 (the API tests use the first few).
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <vector>

#include "calendar/model.hpp"

namespace hall::cases {

// Returns the ids of the completed demo cases, oldest completion first.
std::vector<std::int64_t> seed_demo(soci::session& s, std::int64_t hall_id,
                                    const calendar::HallCalendar& cal, std::int64_t now,
                                    int utc_offset_minutes);

// The instant at `seconds_of_day` local time on the `back`-th working day before
// the local date of `now` (0: that date itself).
calendar::Instant working_day_at(const calendar::HallCalendar& cal, std::int64_t now, int back,
                                 int seconds_of_day);

}  // namespace hall::cases
