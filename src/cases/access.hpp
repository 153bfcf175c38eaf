// What every use case of cases shares: who may see and act on a case (B6.1),
// the first responder recorded once, the courtesy check (B1), and the few
// lookups intake and the notice both need. Internal to src/cases.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/principal.hpp"
#include "cases/model.hpp"
#include "cases/module.hpp"
#include "cases/store.hpp"

namespace hall::cases {

bool blank(const std::string& s);
bool oversees(const auth::Caller& c);
bool handles(const auth::Caller& c);

store::Case case_or_404(soci::session& s, long long id, bool for_update = false);
// Reading: a student sees only their own cases (another's does not exist for them: 404).
void require_visible(const auth::Caller& c, const store::Case& k);
// B6.1: a case nobody has received yet is received by its item's unit (or the teacher).
void require_item_unit(soci::session& s, const auth::Caller& c, const store::Case& k);
// Acting (B6.1): the first responder, the handler they assigned, or the responsible teacher.
void require_actor(soci::session& s, const auth::Caller& c, const store::Case& k);
// The case needs its service item (the checklist, the time limit).
void require_item(const store::Case& k);
void touch(soci::session& s, long long id, long long now);
// B6.1: the first staff member to receive a case becomes its first responder, once.
void ensure_first_responder(soci::session& s, const auth::Caller& c, store::Case& k, long long now);
// B1: every text staff write to a student passes the courtesy check.
void polite(Deps& deps, soci::session& s, const auth::Caller& c, const std::string& text,
            const char* context, const std::string& field);

// B6.2 (3): the application period of the item as text, from the catalog.
std::string application_limit_text(soci::session& s, long long version_id, bool en);
std::vector<MaterialMark> marks_of(const std::vector<store::MaterialRow>& rows);

long long resolve_student_no(soci::session& s, const std::string& no, const char* field);
// The current version of an item (400 unknown_item naming item_id when unknown).
std::pair<long long, long long> item_version(soci::session& s, long long item_id);
// Inserts the case row, its number and its checklist; returns the id.
long long insert_case(Deps& deps, soci::session& s, long long hall_id, Channel ch,
                      std::optional<long long> ticket_id, std::optional<long long> student_id,
                      const std::string& caller_name, const std::string& caller_phone,
                      const std::string& caller_no, const std::string& summary,
                      std::optional<long long> item_id, std::optional<long long> version_id,
                      std::optional<long long> first_responder, std::optional<long long> created_by,
                      long long now);
long long default_hall(Deps& deps);
// The name of an item version (a case's summary when none is given).
std::string version_name(soci::session& s, long long version_id);

}  // namespace hall::cases
