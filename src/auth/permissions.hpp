// The permission matrix: which role may do what. Checked on the server for
// every route (http/router.cpp) and again in services for record-level rules
// (a student reads only their own records; unit staff edit only their unit's items).
// docs/permissions.md renders this table; tests/auth/permissions_test.cpp pins it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.hpp"
#include "core/error.hpp"

namespace hall::auth {

struct RoleInfo {
  std::string role;
  Text name;
  bool device = false;
  std::vector<std::string> permissions;
};

// Every role, people first, then devices.
const std::vector<RoleInfo>& roles();
const RoleInfo* find_role(std::string_view role);
bool is_person_role(std::string_view role);
bool is_device_role(std::string_view role);
// Every permission name with its meaning.
const std::vector<std::pair<std::string, Text>>& permission_catalog();

bool role_has(std::string_view role, std::string_view permission);
bool has_permission(const Principal& p, std::string_view permission);
// Throws 403 unless the principal has the permission.
void require(const Principal& p, std::string_view permission);

}  // namespace hall::auth
