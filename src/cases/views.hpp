// Cases as JSON: what the API answers (a case, its materials, notices,
// referrals, follow-ups and timeline). Pure functions of store rows; a
// student's view leaves out what only staff see (breaches, other people).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "cases/model.hpp"
#include "cases/module.hpp"
#include "cases/store.hpp"
#include "core/json.hpp"

namespace hall::cases {

json::value iso(const std::optional<long long>& ms);
json::value opt_id(const std::optional<long long>& v);

// B6.3: the case's working-time progress (nullopt before acceptance).
std::optional<Progress> progress_of(Deps& deps, const store::Case& k, long long now);
json::object progress_json(const Progress& p);

json::object case_json(Deps& deps, const auth::Caller& c, const store::Case& k, long long now);
json::object material_json(const store::MaterialRow& m, bool en);
// The six parts of B6.2, as the notice shows them.
json::object notice_parts(const std::vector<NoticeMaterial>& mats, bool outside_remit,
                          const std::string& limit, const std::string& refusal, bool en);
json::object notice_json(const store::Notice& n, bool en, bool student);
json::object referral_json(const store::ReferralRow& r);
json::object followup_json(const store::Followup& f, long long now, bool student,
                           int offset_minutes);
json::object event_json(const store::Event& e);

}  // namespace hall::cases
