// The errors of reading and writing tables (CSV / .xlsx uploads and exports), shared by every
// module that imports or exports a table (issue #12 §5: listed once, thrown as errors::name()).
#pragma once

#include "core/error.hpp"

namespace hall::tabular::errors {

// clang-format off
inline const ErrorSpec empty_file{400, "empty_file", {"文件是空的", "The file is empty"}};
// {} says what is too large and the limit.
inline const ErrorSpec file_too_large{413, "file_too_large", {"文件过大：{}", "The file is too large: {}"}};
inline const ErrorSpec invalid_format{400, "invalid_format", {"format 应为 {}", "format must be {}"}};
inline const ErrorSpec unsupported_format{400, "unsupported_format", {"不支持旧版 Excel 97-2003 (.xls) 文件，请在 Excel 中另存为 .xlsx 或“CSV UTF-8（逗号分隔）”后重新上传", "Old Excel 97-2003 (.xls) files are not supported; save the file as .xlsx or \"CSV UTF-8 (Comma delimited)\" and upload it again"}};
inline const ErrorSpec invalid_csv{400, "invalid_csv", {"CSV 格式错误：第 {} 行有一个引号没有闭合", "Malformed CSV: a quote opened in row {} is never closed"}};
inline const ErrorSpec invalid_xlsx{400, "invalid_xlsx", {"无法读取 Excel 文件：{}。请确认上传的是 .xlsx 工作簿（可在 Excel 中另存为 .xlsx）", "Cannot read the Excel file: {}. Make sure it is an .xlsx workbook (Save As .xlsx in Excel)"}};
inline const ErrorSpec empty_table{400, "empty_table", {"表格是空的：没有找到表头行", "The table is empty: no header row"}};
inline const ErrorSpec too_many_rows{400, "too_many_rows", {"表格最多 {} 行数据，请拆分为多个文件后分别导入", "A table holds at most {} data rows; split it into several files"}};
inline const ErrorSpec table_too_large{400, "table_too_large", {"表格过大（单元格总数超过 {}），请拆分后分别导入", "The table is too large (more than {} cells); split it into several files"}};
inline const ErrorSpec cell_too_long{400, "cell_too_long", {"单元格 {} 超过 Excel 的 32767 个字符上限", "Cell {} is longer than Excel's limit of 32767 characters"}};
// The header row: column letters, the header as written, the columns accepted.
inline const ErrorSpec unnamed_column{400, "unnamed_column", {"第 {} 列有数据但没有表头，请补上列名或删除该列", "Column {} holds data but has no header; name it or delete it"}};
inline const ErrorSpec unknown_column{400, "unknown_column", {"无法识别第 {} 列“{}”。可用的列：{}", "Column {} \"{}\" is not recognised. Accepted columns: {}"}};
inline const ErrorSpec duplicate_column{400, "duplicate_column", {"第 {} 列“{}”和第 {} 列“{}”是同一项（{}），请只保留一列", "Columns {} \"{}\" and {} \"{}\" are the same field ({}); keep only one"}};
inline const ErrorSpec missing_column{400, "missing_column", {"缺少必需的列“{}”（表头可写作：{}）", "The required column \"{}\" is missing (accepted headers: {})"}};
// clang-format on

}  // namespace hall::tabular::errors
