// The queue's errors (issue #12 §5): code → HTTP status → zh-CN / English message, listed once.
// Codes shared with other modules carry the same text there (item_not_found: catalog,
// window_not_found: org, hall_not_found: calendar, missing_field: core).
#pragma once

#include "core/error.hpp"

namespace hall::queue::errors {

// clang-format off
// Records.
inline const ErrorSpec ticket_not_found{404, "ticket_not_found", {"找不到该号", "No such ticket"}};
inline const ErrorSpec item_not_found{404, "item_not_found", {"找不到该服务事项", "No such service item"}};
inline const ErrorSpec window_not_found{404, "window_not_found", {"找不到该窗口", "No such window"}};
inline const ErrorSpec hall_not_found{404, "hall_not_found", {"找不到该大厅", "No such hall"}};
inline const ErrorSpec appointment_not_found{404, "appointment_not_found", {"找不到该预约", "Appointment not found"}};
inline const ErrorSpec student_not_found{404, "student_not_found", {"找不到该学号或校园卡号对应的学生", "No student with this number or campus card"}};
// Input.
inline const ErrorSpec missing_field{400, "missing_field", {"缺少必填字段 {}", "Missing required field {}"}};
inline const ErrorSpec missing_parameter{400, "missing_parameter", {"缺少参数 {}", "Missing parameter {}"}};
inline const ErrorSpec missing_idempotency_key{400, "missing_idempotency_key", {"缺少 Idempotency-Key 请求头", "The Idempotency-Key header is required"}};
inline const ErrorSpec invalid_idempotency_key{400, "invalid_idempotency_key", {"Idempotency-Key 应为 8 到 100 个可见 ASCII 字符", "Idempotency-Key must be 8 to 100 visible ASCII characters"}};
inline const ErrorSpec invalid_status{400, "invalid_status", {"status 应为 {0}", "status must be {1}"}};
// B6.5: the green channel's reasons are a fixed list; "other" needs its text.
inline const ErrorSpec invalid_reason_code{400, "invalid_reason_code", {"绿色通道原因无效", "Unknown green-channel reason"}};
inline const ErrorSpec invalid_outcome{400, "invalid_outcome", {"办理结果应为 done、needs_materials、referred 或 cannot_handle", "outcome must be done, needs_materials, referred or cannot_handle"}};
inline const ErrorSpec transfer_item_not_here{422, "item_not_served_today", {"该事项不在本大厅窗口办理", "This service is not handled at this hall's windows"}};
inline const ErrorSpec invalid_slot{422, "invalid_slot", {"该时段不可预约", "This time slot cannot be booked"}};
// Ticket states (A6): the placeholders are the ticket's status, in each language.
inline const ErrorSpec invalid_transition{409, "invalid_transition", {"该号当前状态为“{}”，不能执行此操作", "The ticket is {}; this action is not possible now"}};
inline const ErrorSpec rejoin_used{409, "rejoin_used", {"过号后只能重新排队一次", "A missed ticket may rejoin the queue only once"}};
inline const ErrorSpec already_green{409, "already_green", {"该号已在绿色通道中", "This ticket is already in the green channel"}};
inline const ErrorSpec already_holding_ticket{409, "already_holding_ticket", {"您已取得该事项的号，请勿重复取号", "You already hold a number for this service"}};
// Windows (A6: staff operate their own unit's windows, one at a time).
inline const ErrorSpec window_not_yours{403, "window_not_yours", {"您不能操作该窗口（只能操作本单位的窗口）", "You may not operate this window (only your unit's windows)"}};
inline const ErrorSpec window_not_open{409, "window_not_open", {"该窗口尚未开始服务，请先签到开窗", "This window is not open; sign in at the window first"}};
inline const ErrorSpec window_inactive{409, "window_inactive", {"该窗口已停用", "This window is not in use"}};
inline const ErrorSpec session_exists{409, "session_exists", {"该窗口已有工作人员签到", "Someone is already signed in at this window"}};
inline const ErrorSpec signed_in_elsewhere{409, "signed_in_elsewhere", {"您已在另一个窗口签到，请先签退", "You are signed in at another window; sign out there first"}};
inline const ErrorSpec ticket_in_progress{409, "ticket_in_progress", {"请先办结当前的号", "Finish the current ticket first"}};
inline const ErrorSpec window_paused{409, "window_paused", {"窗口已暂停服务，请先恢复", "The window is paused; resume it first"}};
inline const ErrorSpec queue_empty{404, "queue_empty", {"当前没有等候的号", "Nobody is waiting for this window"}};
inline const ErrorSpec no_current_ticket{409, "no_current_ticket", {"当前没有已叫的号", "No ticket has been called at this window"}};
// Appointments (预约).
inline const ErrorSpec already_booked{409, "already_booked", {"您当天已预约该事项", "You already booked this service on that day"}};
inline const ErrorSpec slot_full{409, "slot_full", {"该时段已约满，请选择其他时段", "This slot is full; choose another"}};
inline const ErrorSpec appointment_not_booked{409, "appointment_not_booked", {"该预约已签到、已取消或已爽约", "This appointment was already checked in, cancelled or missed"}};
inline const ErrorSpec appointment_no_show{409, "appointment_no_show", {"预约时段已过，已记为爽约", "The slot is over; the appointment was recorded as a no-show"}};
inline const ErrorSpec not_today{409, "not_today", {"只能在预约当天签到", "Check in on the day of the appointment"}};
inline const ErrorSpec hall_closed_check_in{409, "hall_closed", {"大厅现在不办公，请在开放时间签到", "The hall is closed now; check in during opening hours"}};
// clang-format on

}  // namespace hall::queue::errors
