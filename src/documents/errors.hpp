// The documents module's errors (issue #12 §5): code → HTTP status → zh-CN / English.
#pragma once

#include "core/error.hpp"

namespace hall::documents::errors {

// clang-format off
inline const ErrorSpec document_not_found{404, "document_not_found", {"找不到该文件", "No such document"}};
// {0} the field's label in Chinese, {1} in English.
inline const ErrorSpec invalid_option{400, "invalid_option", {"{0} 的取值不在可选范围内", "{1} is not one of the options"}};
// B6.5: a revoked document is corrected through its replacement.
inline const ErrorSpec document_revoked{409, "document_revoked", {"该文件已作废，请更正其替代文件", "This document is already revoked; correct its replacement"}};
inline const ErrorSpec nothing_to_correct{422, "nothing_to_correct", {"更正后的内容与原文件相同；如只需重新打印，请直接下载原文件", "The corrected content equals the original; to reprint, download the original"}};
inline const ErrorSpec unknown_type{400, "unknown_type", {"不认识的文件类型", "Unknown document type"}};
inline const ErrorSpec type_not_issuable{400, "type_not_issuable", {"该类文件由相应业务办理时生成，不能在此开具", "This kind of document is produced by its own procedure, not issued here"}};
inline const ErrorSpec type_not_correctable{409, "type_not_correctable", {"该类文件须在相应业务中更正", "This kind of document is corrected by its own procedure"}};
// {0} the accepted values in Chinese, {1} in English.
inline const ErrorSpec invalid_status{400, "invalid_status", {"status 应为 {0}", "status must be {1}"}};
inline const ErrorSpec student_not_found{404, "student_not_found", {"找不到该学号或校园卡号对应的学生", "No student with this number or campus card"}};
inline const ErrorSpec too_many_attempts{429, "too_many_verifications", {"核验失败次数过多，请稍后再试", "Too many failed verifications; please try again later"}};
inline const ErrorSpec not_authentic{404, "not_authentic", {"未找到该验证码对应的文件，文件可能不是本大厅开具的", "No document has this verification code; it may not have been issued by the hall"}};
// B5: a document is complete or it is not issued. {0} what is missing in Chinese, {1} in English.
inline const ErrorSpec record_incomplete{422, "record_incomplete", {"学生档案缺少{0}，请先在人员管理中补全后再开具", "The student's record has no {1}; complete it in people administration first"}};
inline const ErrorSpec student_not_enrolled{422, "student_not_enrolled", {"该学生账户已停用（不在籍），不能开具", "The student's account is disabled (not enrolled)"}};
inline const ErrorSpec catalog_item_missing{422, "catalog_item_missing", {"服务事项清单中没有可办理的“学生证补办”事项，无法开具回执", "The service catalog has no active item “学生证补办” (student card replacement)"}};
// The JSON reader's wording for a missing field.
inline const ErrorSpec missing_field{400, "missing_field", {"缺少必填字段 {}", "Missing required field {}"}};
// clang-format on

}  // namespace hall::documents::errors
