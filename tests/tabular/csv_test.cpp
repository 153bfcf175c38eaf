// CSV reading and writing, edge cases written as a table.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "support/test_support.hpp"
#include "tabular/model.hpp"

namespace hall::tabular {
namespace {

using test::error_of;

struct CsvCase {
  const char* name;
  std::string input;
  std::vector<std::string> headers;
  std::vector<Row> rows;  // {source_row, cells, extra_cells}
  int header_row = 1;
};

const std::vector<CsvCase> kCases = {
    {"lf", "学号,姓名\n2023001,张三\n", {"学号", "姓名"}, {{2, {"2023001", "张三"}, {}}}},
    {"crlf", "a,b\r\n1,2\r\n3,4\r\n", {"a", "b"}, {{2, {"1", "2"}, {}}, {3, {"3", "4"}, {}}}},
    {"lone_cr", "a,b\r1,2\r", {"a", "b"}, {{2, {"1", "2"}, {}}}},
    {"bom", "\xEF\xBB\xBF学号,姓名\r\n001,李四\r\n", {"学号", "姓名"}, {{2, {"001", "李四"}, {}}}},
    {"no_final_newline", "a,b\n1,2", {"a", "b"}, {{2, {"1", "2"}, {}}}},
    {"quotes_and_commas",
     "name,note\n\"Wang, Wei\",\"say \"\"hi\"\", ok\"\n",
     {"name", "note"},
     {{2, {"Wang, Wei", "say \"hi\", ok"}, {}}}},
    {"embedded_newline_counts_as_one_row",
     "a,b\n\"line1\nline2\",x\ny,z\n",
     {"a", "b"},
     {{2, {"line1\nline2", "x"}, {}}, {3, {"y", "z"}, {}}}},
    {"crlf_inside_quotes_kept", "a\r\n\"1\r\n2\"\r\n", {"a"}, {{2, {"1\r\n2"}, {}}}},
    {"trailing_blank_lines_ignored", "a,b\n1,2\n\n\r\n\n", {"a", "b"}, {{2, {"1", "2"}, {}}}},
    {"blank_and_comma_only_rows_skipped_numbers_kept",
     "a,b\n1,2\n\n,\n3,4\n",
     {"a", "b"},
     {{2, {"1", "2"}, {}}, {5, {"3", "4"}, {}}}},
    {"leading_blank_rows_before_header", "\n,,\n学号\n1\n", {"学号"}, {{4, {"1"}, {}}}, 3},
    {"short_row_padded",
     "a,b,c\n1\n1,2\n",
     {"a", "b", "c"},
     {{2, {"1", "", ""}, {}}, {3, {"1", "2", ""}, {}}}},
    {"long_row_keeps_extra_cells",
     "a,b\n1,2,3,,4\n",
     {"a", "b"},
     {{2, {"1", "2"}, {"3", "", "4"}}}},
    {"long_row_of_trailing_empties_is_not_extra",
     "a,b\n1,2,,\n",
     {"a", "b"},
     {{2, {"1", "2"}, {}}}},
    {"header_trailing_empty_cells_dropped", "a,b,,\n1,2,,\n", {"a", "b"}, {{2, {"1", "2"}, {}}}},
    {"empty_quoted_fields",
     "a,b\n\"\",x\n1,\"\"\n",
     {"a", "b"},
     {{2, {"", "x"}, {}}, {3, {"1", ""}, {}}}},
    {"text_after_closing_quote_and_stray_quote",
     "a,b\n\"ab\"c,ab\"c\n",
     {"a", "b"},
     {{2, {"abc", "ab\"c"}, {}}}},
    {"spaces_kept", "a\n  x  \n", {"a"}, {{2, {"  x  "}, {}}}},
    {"four_byte_utf8", "a\n😀𠀀\n", {"a"}, {{2, {"😀𠀀"}, {}}}},
};

void PrintTo(const CsvCase& c, std::ostream* os) { *os << c.name; }

class TabularCsvCases : public ::testing::TestWithParam<CsvCase> {};

TEST_P(TabularCsvCases, Reads) {
  const CsvCase& c = GetParam();
  const Table t = read_csv(c.input);
  EXPECT_EQ(t.headers, c.headers);
  EXPECT_EQ(t.header_row, c.header_row);
  ASSERT_EQ(t.rows.size(), c.rows.size());
  for (std::size_t i = 0; i < c.rows.size(); ++i) {
    EXPECT_EQ(t.rows[i].source_row, c.rows[i].source_row) << "row " << i;
    EXPECT_EQ(t.rows[i].cells, c.rows[i].cells) << "row " << i;
    EXPECT_EQ(t.rows[i].extra_cells, c.rows[i].extra_cells) << "row " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, TabularCsvCases, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

struct BadCsv {
  const char* name;
  std::string input;
  const char* code;
  const char* message_part;  // must appear in the Chinese or English message
};

const std::vector<BadCsv> kBad = {
    // "学号,姓名\n" in GBK, as Excel's plain "CSV (Comma delimited)" saves it in China.
    {"gbk", "id,name\n1,x\n\xD1\xA7\xBA\xC5,\xD0\xD5\xC3\xFB\n", "invalid_utf8", "line 3"},
    {"gbk_advice", "\xD1\xA7\xBA\xC5\n", "invalid_utf8", "CSV UTF-8"},
    {"utf16_bom",
     std::string("\xFF\xFE"
                 "a\0,\0b\0",
                 8),
     "invalid_utf8", "UTF-16"},
    {"utf16_without_bom", std::string("a\0,\0b\0\n\0", 8), "invalid_utf8", "NUL"},
    {"overlong", "a\n\xC0\xAF\n", "invalid_utf8", "UTF-8"},
    {"surrogate", "a\n\xED\xA0\x80\n", "invalid_utf8", "UTF-8"},
    {"truncated_sequence", "a\n\xE5\xAD", "invalid_utf8", "UTF-8"},
    {"above_max_code_point", "a\n\xF4\x90\x80\x80\n", "invalid_utf8", "UTF-8"},
    {"unterminated_quote", "a,b\n1,2\n3,\"oops\n4,5\n", "invalid_csv", "row 3"},
    {"empty_file", "", "empty_table", "header"},
    {"only_bom_and_blank_lines", "\xEF\xBB\xBF\r\n\r\n", "empty_table", "header"},
};

void PrintTo(const BadCsv& c, std::ostream* os) { *os << c.name; }

class TabularCsvErrors : public ::testing::TestWithParam<BadCsv> {};

TEST_P(TabularCsvErrors, Rejects) {
  const BadCsv& c = GetParam();
  const ApiError e = error_of([&] { read_csv(c.input); });
  EXPECT_EQ(e.code(), c.code);
  EXPECT_EQ(e.status(), 400);
  EXPECT_FALSE(e.message().zh.empty());
  EXPECT_TRUE(e.message().en.find(c.message_part) != std::string::npos ||
              e.message().zh.find(c.message_part) != std::string::npos)
      << e.message().en;
}

INSTANTIATE_TEST_SUITE_P(Table, TabularCsvErrors, ::testing::ValuesIn(kBad),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(TabularCsv, RowLimit) {
  std::string csv = "学号\n";
  for (std::size_t i = 0; i < kMaxRows; ++i) csv += "1\n";
  EXPECT_EQ(read_csv(csv).rows.size(), kMaxRows);
  csv += "1\n";
  EXPECT_EQ(error_of([&] { read_csv(csv); }).code(), "too_many_rows");
}

TEST(TabularCsv, WritesBomCrlfAndQuotesOnlyWhenNeeded) {
  Table t;
  t.headers = {"学号", "备注"};
  t.add_row({"0012", "plain"});
  t.add_row({"3", "a,b"});
  t.add_row({"4", "say \"hi\""});
  t.add_row({"5", "two\nlines"});
  t.add_row({"", ""});
  EXPECT_EQ(write_csv(t),
            "\xEF\xBB\xBF"
            "学号,备注\r\n"
            "0012,plain\r\n"
            "3,\"a,b\"\r\n"
            "4,\"say \"\"hi\"\"\"\r\n"
            "5,\"two\nlines\"\r\n"
            ",\r\n");
}

TEST(TabularCsv, RoundTrip) {
  Table t;
  t.headers = {"学号", "姓名", "备注"};
  t.add_row({"0023001", "欧阳 娜娜", "第一行\r\n第二行"});
  t.add_row({"2023002", "", "\"引号\",逗号"});
  t.add_row({"2023003", "O'Brien", " 前后空格 "});
  t.add_row({"2023004", "x", "y", "extra"});  // a cell beyond the header
  EXPECT_EQ(t.rows[3].extra_cells, std::vector<std::string>{"extra"});
  EXPECT_EQ(read_csv(write_csv(t)), t);
}

// formula_guard.tsv: each value is written guarded (as the cell of a CSV
// export) and read back unchanged; unguard_formula is the exact inverse.
std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == 't' || s[i + 1] == 'r' || s[i + 1] == 'n')) {
      out += s[i + 1] == 't' ? '\t' : s[i + 1] == 'r' ? '\r' : '\n';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

TEST(TabularCsv, FormulaCellsAreWrittenAsText) {
  int rows = 0;
  for (const auto& row : ::hall::test::read_tsv("tests/tabular/formula_guard.tsv", 2, 2)) {
    std::string value = unescape(row[0]), written = unescape(row[1]);
    SCOPED_TRACE(row.where() + " " + row[0]);
    ++rows;
    EXPECT_EQ(guard_formula(value), written);
    EXPECT_EQ(unguard_formula(written), value);
    // Through a whole CSV file: the cell on disk is the guarded one; reading it gives the value back.
    Table t;
    t.headers = {"备注", "x"};
    t.add_row({value, "1"});
    std::string csv = write_csv(t);
    std::string expected_cell = written;
    if (written.find_first_of(",\"\r\n") != std::string::npos) {
      expected_cell = "\"";
      for (char ch : written) expected_cell += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      expected_cell += "\"";
    }
    EXPECT_NE(csv.find("\r\n" + expected_cell + ",1\r\n"), std::string::npos) << csv;
    EXPECT_EQ(read_csv(csv), t);
  }
  EXPECT_GE(rows, 15);
}

}  // namespace
}  // namespace hall::tabular
