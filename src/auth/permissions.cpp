#include "auth/permissions.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/module.hpp"

namespace hall::auth {

namespace {

// Every module declares its permissions and the roles holding them (core/module.hpp):
// the matrix is assembled here once, in module order.
std::vector<Permission> declared_permissions() {
  std::vector<Permission> out;
  for (const auto& m : make_modules())
    for (auto& p : m->permissions()) out.push_back(std::move(p));
  return out;
}

const std::vector<Permission>& permissions() {
  static const std::vector<Permission> all = declared_permissions();
  return all;
}

}  // namespace

const std::vector<std::pair<std::string, Text>>& permission_catalog() {
  static const std::vector<std::pair<std::string, Text>> all = [] {
    std::vector<std::pair<std::string, Text>> out;
    for (const auto& p : permissions()) out.emplace_back(p.code, p.meaning);
    return out;
  }();
  return all;
}

const std::vector<RoleInfo>& roles() {
  static const std::vector<RoleInfo> all = [] {
    // A2, B2, D4: the hall's responsible teacher runs the hall day to day — including its
    // working days, closures and opening hours (calendar.write), on which the B6.3 time
    // limits and the queue's opening rest. Devices hold no permission: kiosks, boards and
    // check-in terminals pass by device kind on their own endpoints.
    std::vector<RoleInfo> out = {
        {"student", {"学生", "Student"}, false, {}},
        {"staff", {"窗口工作人员", "Window staff"}, false, {}},
        {"unit_head", {"入驻单位负责人", "Head of resident unit"}, false, {}},
        {"teacher", {"大厅负责老师", "Responsible teacher"}, false, {}},
        {"admin", {"管理员", "Administrator"}, false, {}},
        {"kiosk", {"自助取号机", "Kiosk"}, true, {}},
        {"board", {"叫号显示屏", "Display board"}, true, {}},
        {"rating_pad", {"评价器", "Rating pad"}, true, {}},
        {"checkin", {"签到终端", "Check-in terminal"}, true, {}},
    };
    for (const auto& p : permissions())
      for (const auto& holder : p.roles) {
        auto r = std::find_if(out.begin(), out.end(),
                              [&](const RoleInfo& i) { return i.role == holder; });
        if (r == out.end() || r->device)
          throw std::logic_error("permission " + p.code + " names an unknown role " + holder);
        r->permissions.push_back(p.code);
      }
    return out;
  }();
  return all;
}

const RoleInfo* find_role(std::string_view role) {
  for (const auto& r : roles())
    if (r.role == role) return &r;
  return nullptr;
}

bool is_person_role(std::string_view role) {
  const RoleInfo* r = find_role(role);
  return r && !r->device;
}

bool is_device_role(std::string_view role) {
  const RoleInfo* r = find_role(role);
  return r && r->device;
}

bool role_has(std::string_view role, std::string_view permission) {
  const RoleInfo* r = find_role(role);
  return r && std::find(r->permissions.begin(), r->permissions.end(), permission) !=
                  r->permissions.end();
}

bool has_permission(const Principal& p, std::string_view permission) {
  if (p.is_anonymous()) return false;
  return role_has(p.role, permission);
}

void require(const Principal& p, std::string_view permission) {
  if (!has_permission(p, permission)) throw forbidden();
}

}  // namespace hall::auth
