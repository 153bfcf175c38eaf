// The errors of cases (issue #12 §5: listed once, thrown as errors::name()).
// The platform's own (missing or mistyped fields, forbidden, …) are in
// core/errors.hpp.
#pragma once

#include <fmt/format.h>

#include <string>
#include <utility>

#include "core/error.hpp"

namespace hall::cases::errors {

// clang-format off
// Finding things.
inline const ErrorSpec case_not_found{404, "case_not_found", {"找不到该办件", "No such case"}};
inline const ErrorSpec notice_not_found{404, "notice_not_found", {"找不到该告知书", "No such notice"}};
inline const ErrorSpec followup_not_found{404, "followup_not_found", {"找不到该跟进任务", "No such follow-up"}};
inline const ErrorSpec notification_not_found{404, "notification_not_found", {"找不到该提醒", "No such notification"}};
inline const ErrorSpec unknown_student{400, "unknown_student", {"找不到该学号的学生", "No student with this number"}};
inline const ErrorSpec unknown_item{400, "unknown_item", {"找不到该服务事项", "No such service item"}};
inline const ErrorSpec unknown_ticket{400, "unknown_ticket", {"找不到该取号单", "No such ticket"}};
inline const ErrorSpec unknown_hall{400, "unknown_hall", {"找不到该大厅", "No such hall"}};
inline const ErrorSpec unknown_handler{400, "unknown_handler", {"经办人须为大厅在岗工作人员", "The handler must be active hall staff"}};
inline const ErrorSpec unknown_material{400, "unknown_material", {"该材料不属于本办件的事项", "This material is not on the case's checklist"}};
inline const ErrorSpec no_hall{422, "no_hall", {"尚未设置大厅", "No hall is set up yet"}};
// What the request says.
inline const ErrorSpec invalid_channel{400, "invalid_channel", {"来源应为 ticket（取号）、phone（电话）或 walk_in（现场咨询）；网上申请由学生在门户提交", "channel must be ticket, phone or walk_in; online applications come from the student portal"}};
inline const ErrorSpec invalid_phone{400, "invalid_phone", {"{} 不是有效的电话号码（只能包含数字、空格、+、- 和括号）", "{} is not a valid telephone number (digits, spaces, +, - and parentheses only)"}};
inline const ErrorSpec invalid_mark{400, "invalid_mark", {"标记应为 provided、missing、defective 或 not_applicable", "mark must be provided, missing, defective or not_applicable"}};
inline const ErrorSpec invalid_ids{400, "invalid_ids", {"ids 须有 1 至 200 项", "ids must have 1 to 200 entries"}};
// {} lists the values the list accepts.
inline const ErrorSpec invalid_scope{400, "invalid_scope", {"scope 应为以下之一：{}", "scope must be one of: {}"}};
inline const ErrorSpec invalid_status{400, "invalid_status", {"status 应为 {0}", "status must be {1}"}};
inline const ErrorSpec invalid_source{400, "invalid_source", {"source 应为 {0}", "source must be {1}"}};
inline const ErrorSpec invalid_via{400, "invalid_via", {"渠道应为 window、phone 或 portal", "via must be window, phone or portal"}};
inline const ErrorSpec invalid_query{400, "invalid_query", {"unread 应为 0 或 1", "unread must be 0 or 1"}};
inline const ErrorSpec invalid_range{400, "invalid_range", {"结束日期 to 早于开始日期 from", "to is before from"}};
// Who may act (B6.1): the first responder, the handler they assigned, or the responsible teacher.
inline const ErrorSpec not_your_case{403, "not_your_case", {"该办件由首问责任人或其指派的经办人办理", "Only the case's first responder or its handler may do this"}};
// B6.1 with resident units: {} is the unit that handles the case's item.
inline const ErrorSpec other_units_case{403, "other_units_case", {"该办件的事项由{}办理，请由该单位受理", "This case's item is handled by {}; that unit receives it"}};
inline const ErrorSpec followup_not_yours{403, "followup_not_yours", {"跟进由首问责任人负责", "The first responder handles this follow-up"}};
inline const ErrorSpec students_apply_online{403, "students_apply_online", {"网上申请由学生本人提交", "Online applications are made by students themselves"}};
inline const ErrorSpec own_figures_only{403, "own_figures_only", {"只能查看本人的办件统计", "You may only see your own figures"}};
// The case's state.
// {} is the status of the case as people read it.
inline const ErrorSpec invalid_case_state{409, "invalid_case_state", {"办件当前状态为“{}”，不能执行此操作", "The case is {}: this action is not possible now"}};
inline const ErrorSpec item_required{422, "item_required", {"请先为办件选择服务事项", "Choose the service item of the case first"}};
inline const ErrorSpec item_suspended{409, "item_suspended", {"该事项暂停受理", "This service is suspended for now"}};
inline const ErrorSpec ticket_not_finished{409, "ticket_not_finished", {"取号单办理结束后才能登记办件", "Finish the ticket first"}};
inline const ErrorSpec case_exists{409, "case_exists", {"该取号单已登记办件", "This ticket already has a case"}};
// {} is the first responder's name.
inline const ErrorSpec already_received{409, "already_received", {"该办件已由{}接收", "{} already received this case"}};
// B6.2: the checklist follows the item version, which a notice fixes.
inline const ErrorSpec notice_issued{409, "notice_issued", {"已出具告知书，不能再更换事项", "A notice was issued: the item can no longer change"}};
// B6.2: every material is checked; {} names the material.
inline const ErrorSpec correction_required{400, "correction_required", {"“{}”需补正：请写明需要如何补正", "{} is defective: say what must be corrected"}};
inline const ErrorSpec material_required{400, "material_required", {"“{}”是必交材料，不能标记为不适用", "{} is always required: it cannot be marked not applicable"}};
// B6.2: {} lists the materials.
inline const ErrorSpec materials_unmarked{422, "materials_unmarked", {"以下材料尚未核对标记：{}", "These materials are not marked yet: {}"}};
inline const ErrorSpec materials_incomplete{422, "materials_incomplete", {"以下材料缺少或需补正：{}", "These materials are missing or defective: {}"}};
// B6.1: a referral names a specific office and handler; {} is what it names, then the vague word given.
inline const ErrorSpec referral_not_specific{400, "referral_not_specific", {"请写明具体的{}，不能填写“{}”", "Name the {} specifically, not \"{}\""}};
inline const ErrorSpec followup_open{409, "followup_open", {"已有进行中的跟进，首问责任人正在联系", "A follow-up is already under way"}};
inline const ErrorSpec followup_done{409, "followup_done", {"该跟进已答复", "This follow-up was already answered"}};
// B6.5: the due instant may be brought forward, never pushed back.
inline const ErrorSpec not_accepted{400, "not_accepted", {"受理后才有办结时限", "The case has no due date before acceptance"}};
inline const ErrorSpec invalid_due_at{400, "invalid_due_at", {"新的办结时限应晚于现在、早于原时限", "The new due date must be after now and before the current one"}};
// clang-format on

// Fills each {} of an entry with the Chinese or the English part of a Text (a
// status's name, a list joined the way each language joins lists); plain
// strings go into both.
inline const std::string& zh_part(const Text& t) { return t.zh; }
inline const std::string& en_part(const Text& t) { return t.en; }
inline const std::string& zh_part(const std::string& s) { return s; }
inline const std::string& en_part(const std::string& s) { return s; }
template <class... Parts>
ApiError localized(const ErrorSpec& spec, std::string field, const Parts&... parts) {
  return ApiError(spec.status, spec.code,
                  Text{fmt::format(fmt::runtime(spec.message.zh), zh_part(parts)...),
                       fmt::format(fmt::runtime(spec.message.en), en_part(parts)...)},
                  std::move(field));
}


// clang-format off
// Required inputs named by the rule that needs them.
inline const ErrorSpec notifications_required{400, "notifications_required", {"请给出要标为已读的提醒（ids）或 all: true", "Give the notifications (ids) or all: true"}};  // B6.3 warnings
inline const ErrorSpec caller_name_required{400, "caller_name_required", {"电话来访须记录来电人姓名", "A phone call needs the caller's name"}};  // B6.1
inline const ErrorSpec caller_phone_required{400, "caller_phone_required", {"电话来访须记录来电号码", "A phone call needs the caller's number"}};  // B6.1
inline const ErrorSpec summary_required{400, "summary_required", {"请简要记录来访事项", "Write a short summary of the matter"}};  // B6.1
inline const ErrorSpec ticket_required{400, "ticket_required", {"请指明取号单", "Name the ticket"}};
inline const ErrorSpec visitor_required{400, "visitor_required", {"请记录学号或来访人姓名", "Give the student number or the visitor's name"}};  // B6.1
inline const ErrorSpec marks_required{400, "marks_required", {"请至少标记一项材料", "Mark at least one material"}};  // B6.2
inline const ErrorSpec handler_required{400, "handler_required", {"请选择经办人", "Choose the handler"}};  // B6.1
inline const ErrorSpec agreed_required{400, "agreed_required", {"请记录与经办处室商定的结果", "Record what was agreed with the office"}};  // B6.1
inline const ErrorSpec reply_required{400, "reply_required", {"请填写给学生的答复", "Write the reply to the student"}};  // B6.1
inline const ErrorSpec overdue_reason_required{400, "overdue_reason_required", {"已超过承诺时限，请说明超时原因", "The case is past due: give the reason for the delay"}};  // B5, B6.3
inline const ErrorSpec green_reason_required{400, "green_reason_required", {"绿色通道须写明原因", "The green channel needs a reason"}};  // B6.5
inline const ErrorSpec referral_field_required{400, "referral_field_required", {"转介必须写明{}（B6.1：不能只说“不知道”）", "A referral must name the {} (B6.1: \"I don't know\" is not an answer)"}};  // B6.1
// clang-format on

}  // namespace hall::cases::errors
