// The errors of managing people (students and staff accounts, bulk import)
// (issue #12 §5: listed once, thrown as errors::name()). A missing or unknown
// unit is org's unknown_unit; user_not_found is auth's.
#pragma once

#include "core/error.hpp"

namespace hall::people::errors {

// clang-format off
inline const ErrorSpec invalid_role{400, "invalid_role", {"角色应为 student、staff、teacher、unit_head 或 admin", "role must be student, staff, teacher, unit_head or admin"}};
// {} the role, then the profile it does not use ({"学生", "student"} / {"工作人员", "staff"}).
inline const ErrorSpec profile_mismatch{400, "profile_mismatch", {"角色 {} 不使用{}信息", "The role {} has no {} profile"}};
inline const ErrorSpec unknown_college{400, "unknown_college", {"学院不存在", "No such college"}};
inline const ErrorSpec invalid_kind{400, "invalid_kind", {"kind 应为 {}", "kind must be {}"}};
// Somebody must stay able to administer the hall.
inline const ErrorSpec cannot_disable_self{409, "cannot_disable_self", {"不能停用自己的账户", "You cannot disable your own account"}};
inline const ErrorSpec cannot_change_own_role{409, "cannot_change_own_role", {"不能修改自己的角色", "You cannot change your own role"}};
inline const ErrorSpec last_admin{409, "last_admin", {"这是最后一个启用的管理员账户，不能停用或改为其他角色", "This is the last enabled administrator; it cannot be disabled or given another role"}};
inline const ErrorSpec import_conflict{409, "import_conflict", {"导入期间有人新增了相同学号、工号或登录名的人员，请重新导入", "Someone added a person with the same number or login during the import; import again"}};
// One number, one person.
inline const ErrorSpec login_taken{409, "login_taken", {"登录名已被其他人员使用", "This login is already used by someone else"}};
inline const ErrorSpec student_no_taken{409, "student_no_taken", {"学号已被其他人员使用", "This student number is already used by someone else"}};
inline const ErrorSpec card_no_taken{409, "card_no_taken", {"校园卡号已被其他人员使用", "This campus card number is already used by someone else"}};
inline const ErrorSpec staff_no_taken{409, "staff_no_taken", {"工号已被其他人员使用", "This staff number is already used by someone else"}};
// clang-format on

// What missing_field names when a role's profile is missing.
inline const Text student_profile{"student（学生信息：学号等）", "student (the student profile)"};
inline const Text staff_profile{"staff（工作人员信息：工号等）", "staff (the staff profile)"};

}  // namespace hall::people::errors
