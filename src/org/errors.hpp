// The errors of the hall's organisation: halls, units, colleges, windows and devices
// (issue #12 §5: listed once, thrown as errors::name()). The unknown_* entries
// (400) are for every module whose input names a hall, unit or window that does
// not exist.
#pragma once

#include "core/error.hpp"

namespace hall::org::errors {

// clang-format off
inline const ErrorSpec hall_not_found{404, "hall_not_found", {"找不到该大厅", "No such hall"}};
inline const ErrorSpec unknown_hall{400, "unknown_hall", {"找不到该大厅", "No such hall"}};
inline const ErrorSpec unknown_unit{400, "unknown_unit", {"入驻单位不存在", "No such resident unit"}};
inline const ErrorSpec unknown_window{400, "unknown_window", {"窗口 {} 不存在或已停用", "Window {} does not exist or is not in use"}};
inline const ErrorSpec window_not_found{404, "window_not_found", {"找不到该窗口", "No such window"}};
inline const ErrorSpec device_not_found{404, "device_not_found", {"找不到该设备", "No such device"}};
inline const ErrorSpec window_not_in_hall{422, "window_not_in_hall", {"该窗口不属于设备所在的大厅", "The window is not in the device's hall"}};
// {} names the window ({" 10 号", "a window 10"}; {"这个号码的", "a window with this number"} after a concurrent write).
inline const ErrorSpec number_taken{409, "number_taken", {"该大厅已有{}窗口", "This hall already has {}"}};
// A unique column of a hall, unit or college: {} is what it is ({"学院", "college"}).
inline const ErrorSpec code_taken{409, "code_taken", {"已有相同编码的{}", "Another {} already has this code"}};
inline const ErrorSpec name_taken{409, "name_taken", {"已有相同名称的{}", "Another {} already has this name"}};
inline const ErrorSpec value_taken{409, "value_taken", {"已有相同取值的{}", "Another {} already has this value"}};
inline const ErrorSpec invalid_kind{400, "invalid_kind", {"kind 应为 {}", "kind must be {}"}};
inline const ErrorSpec invalid_phone{400, "invalid_phone", {"{} 不是有效的电话号码（只能包含数字、空格、+、- 和括号）", "{} is not a valid telephone number (digits, spaces, +, - and parentheses only)"}};
inline const ErrorSpec invalid_identifier{400, "invalid_identifier", {"{} 只能由 1 到 {} 个英文字母、数字或 . _ - @ 组成", "{} must be 1 to {} letters, digits or . _ - @"}};
// clang-format on

}  // namespace hall::org::errors
