// Reading and writing .xlsx: a round trip through libxlsxwriter, a workbook
// built by hand with libzip, numbers as data, and hostile or wrong uploads.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixtures.hpp"
#include "tabular/model.hpp"

namespace hall::tabular {
namespace {

using test::error_of;
using test::make_zip;
using test::minimal_workbook;
using test::sheet;
using test::zip_entry;

Table sample_table() {
  Table t;
  t.headers = {"学号", "姓名", "学院", "备注"};
  t.add_row({"0023001001", "张三", "计算机学院", ""});
  t.add_row({"2023001002", "", "外国语学院", "两行\n文字"});
  t.add_row({"", "欧阳 娜娜", "", "=1+1"});             // a formula-like text stays text
  t.add_row({"007", "李四", "数学", "_x0041_ & <b>"});  // XML and ST_Xstring look-alikes
  t.add_row({"1.50", "王五", "物理", "  空格  "});
  return t;
}

TEST(TabularXlsx, RoundTripKeepsTextLeadingZerosAndEmptyCells) {
  const Table t = sample_table();
  const std::string bytes = write_xlsx(t, "学生名单");
  ASSERT_TRUE(bytes.starts_with("PK\x03\x04"));
  const Table back = read_xlsx(bytes);
  EXPECT_EQ(back.headers, t.headers);
  ASSERT_EQ(back.rows.size(), t.rows.size());
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    EXPECT_EQ(back.rows[i].source_row, static_cast<int>(i) + 2);
    EXPECT_EQ(back.rows[i].cells, t.rows[i].cells) << "row " << i;
  }
  EXPECT_EQ(back, t);
}

TEST(TabularXlsx, WrittenSheetHasBoldFrozenHeaderStringCellsAndItsName) {
  const std::string bytes = write_xlsx(sample_table(), "2024/秋季:学生[名单]");
  const auto workbook = zip_entry(bytes, "xl/workbook.xml");
  ASSERT_TRUE(workbook.has_value());
  EXPECT_NE(workbook->find(R"(name="2024_秋季_学生_名单_")"), std::string::npos) << *workbook;

  const auto sheet_xml = zip_entry(bytes, "xl/worksheets/sheet1.xml");
  ASSERT_TRUE(sheet_xml.has_value());
  EXPECT_NE(sheet_xml->find(R"(ySplit="1")"), std::string::npos);
  EXPECT_NE(sheet_xml->find(R"(state="frozen")"), std::string::npos);
  // Every written cell is a shared string, never a number.
  EXPECT_EQ(sheet_xml->find(R"(t="n")"), std::string::npos);
  EXPECT_NE(sheet_xml->find(R"(<c r="A2" s="2" t="s">)"), std::string::npos) << *sheet_xml;
  // The header row uses the bold style.
  const auto styles = zip_entry(bytes, "xl/styles.xml");
  ASSERT_TRUE(styles.has_value());
  EXPECT_NE(styles->find("<b/>"), std::string::npos);
  EXPECT_NE(sheet_xml->find(R"(<c r="A1" s="1" t="s">)"), std::string::npos) << *sheet_xml;
}

TEST(TabularXlsx, LongSheetNameIsCutToExcelsLimit) {
  const std::string bytes = write_xlsx(sample_table(), std::string(40, 'x'));
  const auto workbook = zip_entry(bytes, "xl/workbook.xml");
  ASSERT_TRUE(workbook.has_value());
  EXPECT_NE(workbook->find("name=\"" + std::string(31, 'x') + "\""), std::string::npos);
  EXPECT_EQ(read_xlsx(bytes), sample_table());
}

TEST(TabularXlsx, WriteRejectsInvalidUtf8) {
  Table t;
  t.headers = {"a"};
  t.add_row({"\xD1\xA7\xBA\xC5"});  // GBK 学号 (its first two bytes happen to be UTF-8)
  EXPECT_EQ(error_of([&] { write_xlsx(t, "x"); }).code(), "invalid_utf8");
}

// A workbook as Excel writes it: the first sheet is not sheet1.xml, strings are
// shared (plain, rich text, with phonetic hints), inline or formula results;
// numbers include student numbers and dates; column B and row 3 are missing.
std::string handmade_workbook() {
  const std::string workbook = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr/>
<sheets><sheet name="学生" sheetId="2" r:id="rId7"/><sheet name="说明" sheetId="1" r:id="rId1"/></sheets>
</workbook>)";
  const std::string rels = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>)";
  const std::string strings = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">
<si><t>学号</t></si>
<si><r><rPr><b/></rPr><t>姓</t></r><r><t xml:space="preserve">名 </t></r></si>
<si><t>张三</t><rPh sb="0" eb="1"><t>ちょう</t></rPh></si>
<si><r><t>李</t></r><r><rPr><i/></rPr><t>四</t></r></si>
<si><t>第一行_x000D_
第二行</t></si>
<si><t xml:space="preserve"> </t></si>
</sst>)";
  const std::string styles = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="0.00&quot;元&quot;"/></numFmts>
<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="49"/></cellXfs>
</styleSheet>)";
  const std::string sheet2 = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<dimension ref="A1:F6"/>
<sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>入学日期</t></is></c><c r="E1" t="inlineStr"><is><r><t>学</t></r><r><t>费</t></r></is></c><c r="F1" t="str"><v>在校</v></c><c r="G1" s="1"/></row>
<row r="2"><c r="A2"><v>2023001001</v></c><c r="C2" t="s"><v>2</v></c><c r="D2" s="1"><v>45170</v></c><c r="E2" s="3"><v>1.5</v></c><c r="F2" t="b"><v>1</v></c></row>
<row r="4"><c r="A4" t="inlineStr"><is><t>0023001002</t></is></c><c r="C4" t="s"><v>3</v></c><c r="D4" s="2"><v>45171</v></c><c r="E4" t="n"><v>0.30000000000000004</v></c><c r="F4" t="b"><v>0</v></c><c r="H4" t="s"><v>4</v></c></row>
<row r="5"><c r="A5" s="1"/><c r="B5" t="s"><v>5</v></c></row>
<row r="6"><c t="str"><f>A2&amp;""</f><v>2023001003</v></c><c/><c t="s"><v>0</v></c><c r="E6" s="4"><v>12</v></c></row>
</sheetData>
</worksheet>)";
  const std::string decoy =
      sheet(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>说明</t></is></c></row>)");
  return make_zip({
      {"[Content_Types].xml",
       R"(<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)"},
      {"_rels/.rels",
       R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)"},
      {"xl/workbook.xml", workbook},
      {"xl/_rels/workbook.xml.rels", rels},
      {"xl/sharedStrings.xml", strings},
      {"xl/styles.xml", styles},
      {"xl/worksheets/sheet1.xml", decoy},
      {"xl/worksheets/sheet2.xml", sheet2},
  });
}

TEST(TabularXlsx, ReadsHandmadeWorkbook) {
  const Table t = read_xlsx(handmade_workbook());
  EXPECT_EQ(t.header_row, 1);
  EXPECT_EQ(t.headers, (std::vector<std::string>{"学号", "", "姓名 ", "入学日期", "学费", "在校"}));
  ASSERT_EQ(t.rows.size(), 4u);

  EXPECT_EQ(t.rows[0].source_row, 2);
  EXPECT_EQ(t.rows[0].cells,
            (std::vector<std::string>{"2023001001", "", "张三", "2023-09-01", "1.5", "TRUE"}));
  EXPECT_TRUE(t.rows[0].extra_cells.empty());

  EXPECT_EQ(t.rows[1].source_row, 4);  // row 3 is missing in the sheet
  EXPECT_EQ(t.rows[1].cells,
            (std::vector<std::string>{"0023001002", "", "李四", "2023-09-02", "0.3", "FALSE"}));
  EXPECT_EQ(t.rows[1].extra_cells,
            (std::vector<std::string>{"", "第一行\r\n第二行"}));  // G4 empty, H4

  // Row 5 has a single space in B5: not empty, so it is a row (importers trim).
  EXPECT_EQ(t.rows[2].source_row, 5);
  EXPECT_EQ(t.rows[2].cells, (std::vector<std::string>{"", " ", "", "", "", ""}));

  // Row 6: cells without r attributes follow their left neighbour; a formula's
  // cached string result; a number in a Text-formatted cell.
  EXPECT_EQ(t.rows[3].source_row, 6);
  EXPECT_EQ(t.rows[3].cells, (std::vector<std::string>{"2023001003", "", "学号", "", "12", ""}));
}

TEST(TabularXlsx, CellsWithoutReferencesFollowTheirNeighbours) {
  // Cells without r attributes take the column after the previous cell.
  const std::string rows =
      R"(<row r="1"><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c><c r="D1" t="inlineStr"><is><t>d</t></is></c><c t="inlineStr"><is><t>e</t></is></c></row>)"
      R"(<row><c><v>1</v></c><c/><c><v>3</v></c></row>)";
  const Table t = read_xlsx(make_zip(minimal_workbook(sheet(rows))));
  EXPECT_EQ(t.headers, (std::vector<std::string>{"a", "b", "", "d", "e"}));
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].source_row, 2);
  EXPECT_EQ(t.rows[0].cells, (std::vector<std::string>{"1", "", "3", "", ""}));
}

TEST(TabularXlsx, NamespacePrefixedParts) {
  // The .NET Open XML SDK writes "x:" prefixes on every element.
  const std::string sheet_xml = R"(<?xml version="1.0"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row>
<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>
</x:sheetData></x:worksheet>)";
  const std::string strings = R"(<?xml version="1.0"?>
<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:si><x:t>学号</x:t></x:si></x:sst>)";
  const Table t = read_xlsx(make_zip(minimal_workbook(sheet_xml, strings)));
  EXPECT_EQ(t.headers, std::vector<std::string>{"学号"});
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].cells, std::vector<std::string>{"x"});
}

// How numeric cells come back as text (Excel's General format, near enough).
struct NumberCase {
  const char* stored;
  const char* shown;
};
const std::vector<NumberCase> kNumbers = {
    {"2023001001", "2023001001"},
    {"2.023001001E9", "2023001001"},
    {"1.5", "1.5"},
    {"0", "0"},
    {"-0", "0"},
    {"-3", "-3"},
    {"100", "100"},
    {"0.30000000000000004", "0.3"},
    {"3.3333333333333335", "3.33333333333333"},
    {"123456789012345", "123456789012345"},
    {"1E+20", "1E+20"},
    {"0.0001", "0.0001"},
    {"1.0000000000000001E-5", "1E-05"},
    {"not-a-number", "not-a-number"},
};

TEST(TabularXlsx, NumbersAsText) {
  std::string rows = R"(<row r="1"><c r="A1" t="inlineStr"><is><t>value</t></is></c></row>)";
  for (std::size_t i = 0; i < kNumbers.size(); ++i) {
    const std::string r = std::to_string(i + 2);
    rows += "<row r=\"" + r + "\"><c r=\"A" + r + "\"><v>" + kNumbers[i].stored + "</v></c></row>";
  }
  const Table t = read_xlsx(make_zip(minimal_workbook(sheet(rows))));
  ASSERT_EQ(t.rows.size(), kNumbers.size());
  for (std::size_t i = 0; i < kNumbers.size(); ++i) {
    EXPECT_EQ(t.rows[i].cells[0], kNumbers[i].shown) << "stored " << kNumbers[i].stored;
  }
}

TEST(TabularXlsx, FirstNonEmptyRowIsTheHeader) {
  const std::string rows = R"(<row r="2"><c r="A2" s="0"/></row>)"
                           R"(<row r="3"><c r="B3" t="inlineStr"><is><t>学号</t></is></c></row>)"
                           R"(<row r="4"><c r="B4"><v>7</v></c></row>)";
  const Table t = read_xlsx(make_zip(minimal_workbook(sheet(rows))));
  EXPECT_EQ(t.header_row, 3);
  EXPECT_EQ(t.headers, (std::vector<std::string>{"", "学号"}));
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].source_row, 4);
  EXPECT_EQ(t.rows[0].cells, (std::vector<std::string>{"", "7"}));
}

struct BadXlsx {
  const char* name;
  std::function<std::string()> bytes;
  const char* code;
};

const std::vector<BadXlsx>& bad_xlsx() {
  static const std::vector<BadXlsx> cases = {
      {"not_a_zip", [] { return std::string("学号,姓名\n1,2\n"); }, "invalid_xlsx"},
      {"empty_bytes", [] { return std::string(); }, "invalid_xlsx"},
      {"truncated_zip", [] { return handmade_workbook().substr(0, 200); }, "invalid_xlsx"},
      {"zip_without_workbook",
       [] {
         return make_zip({{"hello.txt", "hi"}});
       },
       "invalid_xlsx"},
      {"word_document",
       [] {
         return make_zip(
             {{"_rels/.rels",
               R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>)"},
              {"word/document.xml", "<w:document/>"}});
       },
       "invalid_xlsx"},
      {"workbook_not_xml",
       [] {
         auto parts = minimal_workbook(sheet(""));
         parts[2].second = "<workbook><sheets>";
         return make_zip(parts);
       },
       "invalid_xlsx"},
      {"workbook_without_sheets",
       [] {
         auto parts = minimal_workbook(sheet(""));
         parts[2].second =
             R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>)";
         return make_zip(parts);
       },
       "invalid_xlsx"},
      {"shared_string_out_of_range",
       [] {
         return make_zip(minimal_workbook(sheet(R"(<row r="1"><c r="A1" t="s"><v>3</v></c></row>)"),
                                          R"(<sst><si><t>a</t></si></sst>)"));
       },
       "invalid_xlsx"},
      {"bad_cell_reference",
       [] {
         return make_zip(minimal_workbook(sheet(R"(<row r="1"><c r="1A"><v>1</v></c></row>)")));
       },
       "invalid_xlsx"},
      {"empty_sheet", [] { return make_zip(minimal_workbook(sheet(""))); }, "empty_table"},
      {"sheet_over_50_mb_uncompressed",
       [] {
         // Compresses to a few dozen kilobytes: a zip bomb in miniature.
         std::string xml = sheet(R"(<row r="1"><c r="A1"><v>1</v></c></row>)");
         xml.insert(xml.find("<sheetData>"), "<!--" + std::string(kMaxPartBytes, ' ') + "-->");
         return make_zip(minimal_workbook(xml));
       },
       "file_too_large"},
      {"more_than_100000_rows",
       [] {
         std::string rows = R"(<row><c t="inlineStr"><is><t>学号</t></is></c></row>)";
         for (std::size_t i = 0; i <= kMaxRows; ++i) rows += "<row><c><v>1</v></c></row>";
         return make_zip(minimal_workbook(sheet(rows)));
       },
       "too_many_rows"},
      {"wide_rows_exhaust_the_cell_budget",
       [] {
         std::string rows = R"(<row><c t="inlineStr"><is><t>学号</t></is></c></row>)";
         for (int i = 0; i < 300; ++i)
           rows += R"(<row><c><v>1</v></c><c r="XFD)" + std::to_string(i + 2) +
                   R"("><v>1</v></c></row>)";
         return make_zip(minimal_workbook(sheet(rows)));
       },
       "table_too_large"},
  };
  return cases;
}

TEST(TabularXlsx, RejectsBadUploads) {
  for (const auto& c : bad_xlsx()) {
    const std::string bytes = c.bytes();
    const ApiError e = error_of([&] { read_xlsx(bytes); });
    EXPECT_EQ(e.code(), c.code) << c.name << ": " << e.message().en;
    // A part too large once uncompressed is 413 like any file too large (one code, one status).
    EXPECT_EQ(e.status(), e.code() == "file_too_large" ? 413 : 400) << c.name;
    EXPECT_FALSE(e.message().zh.empty()) << c.name;
  }
}

TEST(TabularXlsx, RowLimitIsInclusive) {
  std::string rows = R"(<row><c t="inlineStr"><is><t>学号</t></is></c></row>)";
  for (std::size_t i = 0; i < kMaxRows; ++i) rows += "<row><c><v>1</v></c></row>";
  EXPECT_EQ(read_xlsx(make_zip(minimal_workbook(sheet(rows)))).rows.size(), kMaxRows);
}

TEST(TabularReadAny, PicksTheFormat) {
  const std::string xlsx = write_xlsx(sample_table(), "s");
  // The zip magic wins over a misleading name.
  EXPECT_EQ(read_any(xlsx, "students.csv"), sample_table());
  EXPECT_EQ(read_any(xlsx, ""), sample_table());
  // Browsers on Windows send CSV files as application/vnd.ms-excel.
  const Table csv = read_any("学号\n001\n", "application/vnd.ms-excel");
  EXPECT_EQ(csv.rows.at(0).cells, std::vector<std::string>{"001"});
  EXPECT_EQ(read_any("学号\n001\n", "text/csv").headers, std::vector<std::string>{"学号"});
  // Named as xlsx but not a zip: an xlsx error, not a CSV parse of garbage.
  EXPECT_EQ(error_of([] { read_any("学号\n001\n", "名单.XLSX"); }).code(), "invalid_xlsx");
  EXPECT_EQ(error_of([] {
              read_any("x", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            }).code(),
            "invalid_xlsx");
  // Old binary Excel files.
  const std::string xls("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12);
  const ApiError e = error_of([&] { read_any(xls, "students.xls"); });
  EXPECT_EQ(e.code(), "unsupported_format");
  EXPECT_NE(e.message().zh.find(".xlsx"), std::string::npos);
  // GBK CSV through read_any still gets the encoding advice.
  EXPECT_EQ(error_of([] { read_any("\xD1\xA7\xBA\xC5\n", "a.csv"); }).code(), "invalid_utf8");
}

}  // namespace
}  // namespace hall::tabular
