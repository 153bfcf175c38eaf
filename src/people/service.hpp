// Use cases of people administration: search, read, create, edit (disable,
// role change), reset password, bulk import.
#pragma once

#include "people/module.hpp"

#include <string>
#include <string_view>

#include "auth/principal.hpp"
#include "people/model.hpp"

namespace hall::people {

json::object search(Deps& deps, const auth::Caller& c, const std::string& text, const std::string& role, int page,
                    int page_size);
// users.read, or one's own account.
auth::User get(Deps& deps, const auth::Caller& c, std::int64_t id);
auth::User create(Deps& deps, const auth::Caller& c, const NewUser& in);
auth::User update(Deps& deps, const auth::Caller& c, std::int64_t id, const UserPatch& in);
void reset_password(Deps& deps, const auth::Caller& c, std::int64_t id, const std::string& password);

// Reads the file (CSV or .xlsx), checks every row, and imports all rows, or
// (skip_bad_rows) the good ones, in one transaction with one audit entry.
ImportReport import_file(Deps& deps, const auth::Caller& c, ImportKind kind, std::string_view bytes,
                         std::string_view content_type, bool skip_bad_rows);

}  // namespace hall::people
