// Demo blocked attempts (B1), for the responsible teacher's list; called by documents::seed_demo.
#pragma once

#include <soci/soci.h>

namespace hall::courtesy {

void seed_demo(soci::session& s, long long now);

}  // namespace hall::courtesy
