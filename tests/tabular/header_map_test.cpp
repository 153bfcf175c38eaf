// HeaderMap: header aliases, required and unknown columns, row-level errors.
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "tabular/model.hpp"

namespace hall::tabular {
namespace {

using test::error_of;

std::vector<ColumnSpec> student_columns() {
  return {
      {"student_no", {"学号", "Student No."}, true},
      {"name", {"姓名", "name"}, true},
      {"phone", {"手机号", "phone", "联系电话"}, false},
  };
}

Table table(std::vector<std::string> headers, std::vector<std::vector<std::string>> rows = {}) {
  Table t;
  t.headers = std::move(headers);
  for (auto& r : rows) t.add_row(std::move(r));
  return t;
}

TEST(TabularHeaderMap, MatchesChineseAndEnglishAliasesInAnyOrder) {
  const Table zh = table({"姓名", "学号"}, {{"张三", "2023001"}});
  const HeaderMap m(zh, student_columns());
  EXPECT_EQ(m.index("student_no"), 1u);
  EXPECT_EQ(m.index("name"), 0u);
  EXPECT_FALSE(m.has("phone"));
  EXPECT_EQ(m.get(zh.rows[0], "student_no"), "2023001");
  EXPECT_EQ(m.get(zh.rows[0], "phone"), "");  // optional and absent

  const Table en = table({"student_no", "NAME", "联系电话"});
  const HeaderMap e(en, student_columns());
  EXPECT_EQ(e.index("student_no"), 0u);
  EXPECT_EQ(e.index("name"), 1u);
  EXPECT_EQ(e.index("phone"), 2u);
  EXPECT_EQ(e.header("phone"), "联系电话");
}

TEST(TabularHeaderMap, NormalisesSpacesMarkersAndPunctuation) {
  // Template-style headers: required markers, stray spaces (also U+3000), other spellings.
  const Table t = table({" 学号* ", "\xE3\x80\x80姓名＊", "Phone"});
  const HeaderMap m(t, student_columns());
  EXPECT_EQ(m.index("student_no"), 0u);
  EXPECT_EQ(m.index("name"), 1u);
  EXPECT_EQ(m.index("phone"), 2u);
  const HeaderMap m2(table({"STUDENT NO", "Name"}), student_columns());
  EXPECT_EQ(m2.index("student_no"), 0u);
}

TEST(TabularHeaderMap, GetTrimsCells) {
  const Table t = table({"学号", "姓名"}, {{" 2023001\t", "\xE3\x80\x80张三 "}});
  const HeaderMap m(t, student_columns());
  EXPECT_EQ(m.get(t.rows[0], "student_no"), "2023001");
  EXPECT_EQ(m.get(t.rows[0], "name"), "张三");
  EXPECT_THROW(m.get(t.rows[0], "no_such_key"), std::logic_error);
}

TEST(TabularHeaderMap, MissingRequiredColumn) {
  const ApiError e = error_of([] { HeaderMap(table({"姓名", "手机号"}), student_columns()); });
  EXPECT_EQ(e.code(), "missing_column");
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.field(), "student_no");
  EXPECT_NE(e.message().zh.find("学号"), std::string::npos) << e.message().zh;
  EXPECT_NE(e.message().en.find("Student No."), std::string::npos) << e.message().en;
}

TEST(TabularHeaderMap, UnknownColumnRejectedOrIgnored) {
  const Table t = table({"学号", "姓名", "宿舍"}, {{"1", "x", "3-201"}});
  const ApiError e = error_of([&] { HeaderMap(t, student_columns()); });
  EXPECT_EQ(e.code(), "unknown_column");
  EXPECT_EQ(e.field(), "宿舍");
  EXPECT_NE(e.message().zh.find("第 C 列"), std::string::npos) << e.message().zh;
  EXPECT_NE(e.message().zh.find("“学号”"), std::string::npos) << e.message().zh;

  const HeaderMap m(t, student_columns(), UnknownColumns::ignore);
  EXPECT_EQ(m.index("name"), 1u);
}

TEST(TabularHeaderMap, DuplicateColumnForOneField) {
  const ApiError e = error_of([] {
    HeaderMap(table({"学号", "姓名", "student_no"}), student_columns());
  });
  EXPECT_EQ(e.code(), "duplicate_column");
  EXPECT_EQ(e.field(), "student_no");
}

TEST(TabularHeaderMap, UnnamedColumnTolereatedOnlyWhenEmpty) {
  // A spacer column (B) without header and without data is fine.
  const Table spacer = table({"学号", "", "姓名"}, {{"1", "", "x"}, {"2", " ", "y"}});
  const HeaderMap m(spacer, student_columns());
  EXPECT_EQ(m.index("name"), 2u);

  const Table data = table({"学号", "", "姓名"}, {{"1", "", "x"}, {"2", "oops", "y"}});
  const ApiError e = error_of([&] { HeaderMap(data, student_columns()); });
  EXPECT_EQ(e.code(), "unnamed_column");
  EXPECT_EQ(e.field(), "B");
}

TEST(TabularHeaderMap, RowAndCellErrorsNameTheSourceRow) {
  const Table t = read_csv("学号,姓名\n\n\n\n\n\n2023001,张三,多余\n");
  ASSERT_EQ(t.rows.size(), 1u);
  const HeaderMap m(t, student_columns());
  const ApiError e = m.cell_error(t.rows[0], "student_no", "invalid_student_no",
                                  {"学号应为 10 位数字", "must be 10 digits"});
  EXPECT_EQ(e.code(), "invalid_student_no");
  EXPECT_EQ(e.field(), "student_no");
  EXPECT_EQ(e.message().zh, "第 7 行“学号”列：学号应为 10 位数字");
  EXPECT_EQ(e.message().en, "Row 7, column 学号: must be 10 digits");

  const auto extra = m.extra_cells_error(t.rows[0]);
  ASSERT_TRUE(extra.has_value());
  EXPECT_EQ(extra->code(), "extra_cells");
  EXPECT_NE(extra->message().zh.find("第 7 行"), std::string::npos) << extra->message().zh;
  EXPECT_NE(extra->message().en.find("column C"), std::string::npos) << extra->message().en;

  const Table ok = read_csv("学号,姓名\n1,x\n");
  EXPECT_FALSE(m.extra_cells_error(ok.rows[0]).has_value());
}

TEST(TabularHeaderMap, ColumnLetters) {
  EXPECT_EQ(column_letters(0), "A");
  EXPECT_EQ(column_letters(25), "Z");
  EXPECT_EQ(column_letters(26), "AA");
  EXPECT_EQ(column_letters(27), "AB");
  EXPECT_EQ(column_letters(701), "ZZ");
  EXPECT_EQ(column_letters(702), "AAA");
  EXPECT_EQ(column_letters(16383), "XFD");
}

}  // namespace
}  // namespace hall::tabular
