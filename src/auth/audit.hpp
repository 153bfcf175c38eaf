// The append-only audit log: every write records who (id, login, role), what
// (action, target), a before/after summary, when and from where — in the same
// transaction as the write itself, so there is no write without its record.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <string>

#include "auth/principal.hpp"
#include "core/json.hpp"

namespace hall::auth {

void audit(soci::session& tx, const Caller& caller, const std::string& action, const std::string& target_type,
           const std::string& target_id, const json::value& summary = nullptr);

struct AuditQuery {
  std::optional<std::int64_t> actor_id;
  std::string actor_login, action, target_type, target_id, text;
  std::optional<std::int64_t> from_ms, to_ms;
  int page = 1, page_size = 20;
};
json::object search_audit(soci::session& s, const AuditQuery& q);

}  // namespace hall::auth
