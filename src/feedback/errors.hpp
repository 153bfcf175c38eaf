// The feedback module's errors (issue #12 §5): complaints and suggestions (C3),
// ratings (B4) and the WeChat account. Code → HTTP status → zh-CN / English.
#pragma once

#include "core/error.hpp"

namespace hall::feedback::errors {

// clang-format off
// The JSON reader's wordings for the platform's codes.
inline const ErrorSpec missing_field{400, "missing_field", {"缺少必填字段 {}", "Missing required field {}"}};
inline const ErrorSpec body_too_large{413, "body_too_large", {"消息过大", "Message too large"}};

// Complaints and suggestions (C3).
inline const ErrorSpec feedback_not_found{404, "feedback_not_found", {"未找到该投诉建议", "Complaint or suggestion not found"}};
// C3: an item about a handler or their unit is the responsible teacher's; they may not handle it or see who filed it.
inline const ErrorSpec about_you{403, "about_you", {"该投诉建议针对您本人或您所在的单位，由负责老师处理，您不能办理或查看投诉人身份", "This item is about you or your unit: the responsible teacher handles it, and you may neither handle it nor see who filed it"}};
inline const ErrorSpec staff_use_desk{403, "staff_use_desk", {"工作人员请在投诉窗口录入（渠道：窗口或电话）", "Staff enter complaints at the complaints desk (window or phone)"}};
inline const ErrorSpec not_complaint_handler{403, "not_complaint_handler", {"只有投诉窗口工作人员和负责老师可以录入", "Only complaint handlers may enter complaints"}};
// C3: a disputed answer goes to the responsible teacher.
inline const ErrorSpec escalated_to_teacher{403, "escalated_to_teacher", {"学生有异议的投诉由负责老师处理", "A disputed complaint is handled by the responsible teacher"}};
inline const ErrorSpec unknown_target{422, "unknown_target", {"投诉对象不存在", "The target does not exist"}};
inline const ErrorSpec target_mismatch{422, "target_mismatch", {"所选工作人员与窗口不符", "The staff member does not match the window"}};
inline const ErrorSpec too_many_attachments{400, "too_many_attachments", {"附件最多 5 个", "At most 5 attachments"}};
inline const ErrorSpec invalid_attachment{400, "invalid_attachment", {"附件不是有效的 Base64", "Attachment is not valid Base64"}};
inline const ErrorSpec attachment_too_large{413, "attachment_too_large", {"单个附件不能超过 5 MB", "An attachment may not exceed 5 MB"}};
inline const ErrorSpec attachment_type{415, "attachment_type", {"附件只能是图片（PNG、JPEG、GIF、WebP）或 PDF", "Attachments must be images (PNG, JPEG, GIF, WebP) or PDF"}};
inline const ErrorSpec attachment_not_found{404, "attachment_not_found", {"附件不存在", "Attachment not found"}};
inline const ErrorSpec invalid_kind{400, "invalid_feedback_kind", {"类型无效", "Unknown kind"}};
inline const ErrorSpec invalid_category{400, "invalid_category", {"范围类别无效", "Unknown category"}};
inline const ErrorSpec invalid_phone{400, "invalid_contact_phone", {"联系电话格式不正确", "Invalid phone number"}};
inline const ErrorSpec invalid_channel{400, "invalid_feedback_channel", {"渠道只能是窗口或电话", "Channel must be window or phone"}};
inline const ErrorSpec unknown_student{400, "unknown_student", {"找不到该学号的学生", "No student with this number"}};
// C3: one dispute per item.
inline const ErrorSpec dispute_used{409, "dispute_used", {"每件投诉只能提出一次异议", "An answer can be disputed only once"}};
inline const ErrorSpec invalid_transition{409, "invalid_item_transition", {"当前状态不能执行此操作", "Not possible in the current status"}};
inline const ErrorSpec unknown_handler{422, "unknown_assignee", {"处理人不存在", "Unknown handler"}};
inline const ErrorSpec handler_is_target{422, "handler_is_target", {"不能指派给被投诉的人员或其所在单位的人员", "Cannot assign to the person or a member of the unit complained about"}};
inline const ErrorSpec not_a_handler{422, "not_a_handler", {"该人员不是投诉处理人", "That person does not handle complaints"}};

// Ratings (B4).
inline const ErrorSpec case_not_found{404, "case_not_found", {"找不到该办件", "No such case"}};
inline const ErrorSpec ticket_not_found{404, "ticket_not_found", {"找不到该号", "No such ticket"}};
inline const ErrorSpec one_target{400, "one_target", {"一次只能评价一张号票或一个办件", "Rate either a ticket or a case, not both"}};
inline const ErrorSpec invalid_tag{400, "invalid_tag", {"评价标签无效", "Unknown tag"}};
inline const ErrorSpec service_not_finished{409, "service_not_finished", {"办理结束后才能评价", "Rate once the service is finished"}};
// B4: a service may be rated within 7 days of its end (at the pad only right after it).
inline const ErrorSpec rating_closed{409, "rating_closed", {"已过评价时限；服务结束 7 天内可在网上大厅评价", "Too late to rate here; services can be rated in the portal for 7 days after they end"}};
inline const ErrorSpec already_rated{409, "already_rated", {"该次服务已评价", "This service has been rated"}};
inline const ErrorSpec invalid_group{400, "invalid_group", {"分组只能是 window、staff、unit、item 或 all", "group must be window, staff, unit, item or all"}};
inline const ErrorSpec return_visit_not_found{404, "return_visit_not_found", {"未找到该回访", "Return visit not found"}};
inline const ErrorSpec return_visit_done{409, "return_visit_done", {"该回访已完成", "Already done"}};
inline const ErrorSpec rating_not_found{404, "rating_not_found", {"未找到该评价", "Rating not found"}};
inline const ErrorSpec appeal_exists{409, "appeal_exists", {"该评价已申诉", "This rating has been appealed"}};
inline const ErrorSpec no_pending_appeal{409, "no_pending_appeal", {"没有待决定的申诉", "No pending appeal"}};

// The WeChat official account.
inline const ErrorSpec wechat_signature{403, "wechat_signature", {"签名校验失败", "Signature check failed"}};
inline const ErrorSpec wechat_malformed{400, "wechat_malformed", {"消息格式错误", "Malformed message"}};
inline const ErrorSpec wechat_not_configured{404, "wechat_not_configured", {"未配置微信公众号接口", "The WeChat interface is not configured"}};
inline const ErrorSpec wechat_misconfigured{500, "wechat_misconfigured", {"微信公众号 EncodingAESKey 配置错误", "Bad EncodingAESKey"}};
inline const ErrorSpec wechat_stale{403, "wechat_stale", {"请求已过期", "Stale timestamp"}};
inline const ErrorSpec wechat_app_id{403, "wechat_app_id", {"AppID 不匹配", "Wrong app id"}};
inline const ErrorSpec replayed_nonce{403, "replayed_nonce", {"重复的请求", "Replayed request"}};
// clang-format on

}  // namespace hall::feedback::errors
