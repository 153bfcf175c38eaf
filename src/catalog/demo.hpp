// Demo catalog (35 items across the demo units), filled by demo::seed inside
// its transaction once the units, the hall 'main' and its windows exist.
#pragma once

#include <soci/soci.h>

#include <cstdint>

namespace hall::catalog {
void seed_demo(soci::session& s, std::int64_t now);
}  // namespace hall::catalog
