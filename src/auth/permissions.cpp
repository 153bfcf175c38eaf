#include "auth/permissions.hpp"

#include <algorithm>

namespace hall::auth {

// What each permission allows. New capabilities add theirs here and to the
// roles below, so the whole matrix stays in one place.
const std::vector<std::pair<std::string, Text>>& permission_catalog() {
  static const std::vector<std::pair<std::string, Text>> all = {
      {"self.read", {"查看本人账户与记录", "Read one's own account and records"}},
      {"self.write", {"修改本人密码", "Change one's own password"}},
      {"users.read", {"查看人员", "Read people"}},
      {"users.write", {"新建、停用人员，重置密码，导入", "Create, disable, reset, import people"}},
      {"roles.read", {"查看角色与权限", "Read roles and permissions"}},
      {"org.read", {"查看大厅、窗口、入驻单位、学院", "Read halls, windows, units, colleges"}},
      {"org.write", {"维护大厅、窗口、入驻单位、学院", "Edit halls, windows, units, colleges"}},
      {"devices.manage", {"管理终端设备与令牌", "Manage devices and their tokens"}},
      {"audit.read", {"查询审计日志", "Search the audit log"}},
      {"catalog.write", {"维护服务事项（单位人员仅限本单位）", "Edit service items (unit staff: own unit only)"}},
      {"calendar.write", {"维护节假日、闭厅日与开放时间", "Edit holidays, closures and opening hours"}},
      {"announcements.write", {"发布公告", "Publish announcements"}},
      {"stats.read", {"查看统计", "Read statistics"}},
      // The queue (A5, A6, B6.5). Students take numbers and book slots for themselves
      // only (checked per record, as for every student record), and devices hold no
      // permission: kiosks, boards and check-in terminals pass by device kind on their own endpoints.
      {"queue.operate",
       {"窗口叫号与办理（本单位窗口），代学生取号", "Operate a window: call, serve, transfer (own unit's windows); take a number for a student"}},
      {"queue.board", {"查看叫号屏", "View the call board"}},
      {"green_channel.mark", {"标记绿色通道", "Put a ticket in the green channel"}},
      // B1: every staff screen checks what staff write to students; the responsible
      // teacher keeps the list of forbidden phrasings and sees every blocked attempt.
      {"courtesy.check", {"文明用语检查，查看禁用语清单", "Check a text for discourteous phrasings; read the list"}},
      {"courtesy.manage", {"维护禁用语清单", "Edit the list of forbidden phrasings"}},
      {"courtesy.review", {"查看被拦截的不文明用语", "Read the blocked discourteous texts"}},
      // B5: certificates and receipts filled from the records; students read their own without a permission.
      // Corrections (revoke + reissue) by the issuing unit only (documents/service.cpp); any unit's with documents.oversee.
      {"documents.issue",
       {"开具、查询证明与回执，更正本单位开具的", "Issue and search certificates and receipts; correct those of one's own unit"}},
      {"documents.oversee", {"更正任何单位开具的证明与回执", "Correct certificates and receipts of any unit"}},
      // C1–C3: staff handle complaints only when their unit staffs the complaints window
      // (window 10, checked per record in feedback/service.cpp); the teacher and administrators always.
      // Never an item about the handler or the handler's unit (its window, its staff): those go to the teacher.
      {"complaints.handle",
       {"受理、处理投诉建议（投诉窗口人员、负责老师；涉及本人或本单位的除外）",
        "Handle complaints and suggestions (complaints-window staff, the teacher; never about oneself or one's unit)"}},
      {"feedback.oversee", {"投诉建议统计、异议复核与结案", "Oversee complaints: statistics, disputes, closing"}},
      // B6.1–B6.3, B6.5: cases (办件). Students read their own cases with self.read (checked per record).
      // An online application (not yet received) is received by the unit of its item only (cases/service.cpp);
      // any with cases.oversee.
      {"cases.handle",
       {"受理、办理、转介办件，出具一次性告知书（网上申请由事项所属单位受理）",
        "Receive, handle and refer cases; issue one-time notices (online applications: the item's unit)"}},
      {"cases.oversee", {"督办：超时与预警办件、一次性告知违规、逾期跟进", "Oversee cases: overdue and at-risk cases, notice breaches, late follow-ups"}},
  };
  return all;
}

const std::vector<RoleInfo>& roles() {
  static const std::vector<RoleInfo> all = {
      {"student", {"学生", "Student"}, false, {"self.read", "self.write"}},
      {"staff",
       {"窗口工作人员", "Window staff"},
       false,
       {"self.read", "self.write", "org.read", "catalog.write", "stats.read", "queue.operate", "queue.board",
        "green_channel.mark", "courtesy.check", "documents.issue", "complaints.handle",
        "cases.handle"}},
      {"unit_head",
       {"入驻单位负责人", "Head of resident unit"},
       false,
       {"self.read", "self.write", "org.read", "users.read", "catalog.write", "stats.read", "queue.operate",
        "queue.board", "courtesy.check",
        "cases.handle"}},
      // A2, B2, D4: the hall's responsible teacher runs the hall day to day — including its
      // working days, closures and opening hours (calendar.write), on which the B6.3 time
      // limits and the queue's opening rest.
      {"teacher",
       {"大厅负责老师", "Responsible teacher"},
       false,
       {"self.read", "self.write", "org.read", "users.read", "roles.read", "audit.read", "catalog.write",
        "calendar.write",
        "announcements.write", "stats.read", "queue.operate", "queue.board", "green_channel.mark", "complaints.handle",
        "feedback.oversee", "courtesy.check", "courtesy.manage", "courtesy.review", "documents.issue",
        "documents.oversee", "cases.handle", "cases.oversee"}},
      {"admin",
       {"管理员", "Administrator"},
       false,
       {"self.read", "self.write", "users.read", "users.write", "roles.read", "org.read", "org.write", "devices.manage",
        "audit.read", "catalog.write", "calendar.write", "announcements.write", "stats.read", "queue.operate",
        "queue.board", "green_channel.mark", "complaints.handle", "feedback.oversee", "courtesy.check", "courtesy.manage",
        "courtesy.review", "documents.issue", "documents.oversee",
        "cases.handle", "cases.oversee"}},
      {"kiosk", {"自助取号机", "Kiosk"}, true, {}},
      {"board", {"叫号显示屏", "Display board"}, true, {}},
      {"rating_pad", {"评价器", "Rating pad"}, true, {}},
      {"checkin", {"签到终端", "Check-in terminal"}, true, {}},
  };
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
  return r && std::find(r->permissions.begin(), r->permissions.end(), permission) != r->permissions.end();
}

bool has_permission(const Principal& p, std::string_view permission) {
  if (p.is_anonymous()) return false;
  return role_has(p.role, permission);
}

void require(const Principal& p, std::string_view permission) {
  if (!has_permission(p, permission)) throw forbidden();
}

}  // namespace hall::auth
