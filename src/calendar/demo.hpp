// Demo data of the calendar and announcements: closures of the demo hall
// (2026 暑假, a one-off closure, 2027 寒假) and a few realistic announcements.
#pragma once

#include <soci/soci.h>

#include <cstdint>

namespace hall::calendar {

void seed_demo(soci::session& s, std::int64_t hall_id);

}  // namespace hall::calendar
