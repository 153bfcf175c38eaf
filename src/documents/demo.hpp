// Demo data for B1 and B5 (marked as demo): a few documents issued by staff01
// to student 2023001001 — DEM0-CERT-0001 valid, DEM0-CERT-0002 corrected
// (revoked, its replacement with a code of its own) — so the verification page
// can be shown at once (/verify/DEM0CERT0001), and two blocked courtesy attempts
// for the teacher's list.
#pragma once

#include <soci/soci.h>

namespace hall::documents {

void seed_demo(soci::session& s, long long now);

}  // namespace hall::documents
