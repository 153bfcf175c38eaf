// Demo data of the queue: appointment slot configuration for a few items and
// a history of served tickets over the past working days (so statistics and
// wait estimates have something to show). Every demo ticket is marked is_demo;
// nothing is dated today — the demo never pretends people are waiting now.
#pragma once

#include <soci/soci.h>

#include <cstdint>

namespace hall::queue {
void seed_demo(soci::session& s, std::int64_t hall_id, std::int64_t now);
}
