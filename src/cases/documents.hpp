// The documents of a case (B5: produced from templates filled from the records,
// never typed by hand): the one-time notice (一次性告知书, B6.2) and the referral
// slip (转介单, B6.1), issued through the document registry (src/documents/)
// with a verification code and QR, and linked to the case (ref_type 'case').
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <optional>

#include "auth/principal.hpp"
#include "cases/module.hpp"
#include "cases/store.hpp"
#include "core/json.hpp"

namespace hall::cases {

// Issues the notice's document in the caller's transaction; nullopt when the
// case has no student account (a phone caller not known as a student): the
// notice is then given on the phone and stays on the case.
std::optional<long long> issue_notice_document(Deps& deps, soci::session& s, const auth::Caller& c,
                                               const store::Case& k, long long notice_id);
std::optional<long long> issue_referral_document(Deps& deps, soci::session& s,
                                                 const auth::Caller& c, const store::Case& k,
                                                 long long referral_id);
// The case's documents: [{id, type, number, status, issued_at, pdf}].
json::array case_documents(Deps& deps, soci::session& s, long long case_id);

}  // namespace hall::cases
