// The errors of the service catalogue (issue #12 §5: listed once, thrown as errors::name()).
// Units and windows an item names are org's (org::errors::unknown_unit / unknown_window).
#pragma once

#include "core/error.hpp"

namespace hall::catalog::errors {

// clang-format off
inline const ErrorSpec item_not_found{404, "item_not_found", {"找不到该服务事项", "No such service item"}};
inline const ErrorSpec version_not_found{404, "version_not_found", {"找不到该事项版本", "No such item version"}};
inline const ErrorSpec file_not_found{404, "file_not_found", {"找不到该文件", "No such file"}};
inline const ErrorSpec unknown_file{400, "unknown_file", {"表格文件不存在，请重新上传", "No such form file; upload it again"}};
inline const ErrorSpec duplicate_code{409, "duplicate_code", {"事项编码已被使用", "The item code is taken"}};
inline const ErrorSpec stale_version{409, "stale_version", {"该事项已被他人修改，请刷新后再编辑", "Someone else changed this item; reload it before editing"}};
inline const ErrorSpec too_many{400, "too_many", {"字段 {} 最多 {} 项", "Field {} holds at most {} entries"}};
inline const ErrorSpec invalid_code{400, "invalid_code", {"事项编码只能由大写字母、数字、“-”和“_”组成", "The item code may hold only capital letters, digits, '-' and '_'"}};
inline const ErrorSpec invalid_handling_mode{400, "invalid_handling_mode", {"办理方式应为 on_site（现场）、online（网上）或 both（两者皆可）", "handling_mode must be on_site, online or both"}};
inline const ErrorSpec invalid_queue_prefix{400, "invalid_queue_prefix", {"叫号字母应为一个大写字母 A–Z", "The queue prefix must be one capital letter A–Z"}};
inline const ErrorSpec invalid_url{400, "invalid_url", {"网上办理地址应以 http:// 或 https:// 开头", "The online address must start with http:// or https://"}};
inline const ErrorSpec windows_required{400, "windows_required", {"现场办理的事项至少要指定一个窗口", "An item handled on site needs at least one window"}};
inline const ErrorSpec online_url_required{400, "online_url_required", {"网上办理的事项需要填写网上办理地址", "An item handled online needs its online address"}};
// B6.1: a referral must name at least the office to go to.
inline const ErrorSpec contact_required{400, "contact_required", {"请填写咨询科室（首问责任制转介所需）", "Give the office to refer students to (first-inquiry responsibility)"}};
// B6.2 (3): application periods; {} is the period's number.
inline const ErrorSpec invalid_period{400, "invalid_period", {"办理时段 {} 的结束日期早于开始日期", "Application period {} ends before it starts"}};
// B6.2 (2): materials; {} is the material's number.
inline const ErrorSpec condition_required{400, "condition_required", {"第 {} 项材料为条件提交，请写明提交条件", "Material {} is conditional: say when it is needed"}};
inline const ErrorSpec material_quantity{400, "material_quantity", {"第 {} 项材料的原件和复印件份数不能都为 0", "Material {} needs at least one original or one copy"}};
inline const ErrorSpec unsupported_file_type{415, "unsupported_file_type", {"只接受 PDF、Word（DOC/DOCX）、Excel（XLS/XLSX）、JPG 和 PNG 文件", "Only PDF, Word (DOC/DOCX), Excel (XLS/XLSX), JPG and PNG files are accepted"}};
// clang-format on

}  // namespace hall::catalog::errors
