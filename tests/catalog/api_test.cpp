// The service catalog through its HTTP API, on SQLite and (when configured) PostgreSQL:
// CRUD and immutable versions, unit scoping, input checks, forms, Excel, public search.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "catalog/routes.hpp"
#include "support/test_support.hpp"
#include "tabular/model.hpp"

namespace hall::test {
namespace {

class CatalogApi : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    hall = std::make_unique<TestHall>(GetParam());
    admin = hall->login("admin", "admin123");
  }

  long long item_id(const std::string& code) {
    return hall->count("SELECT id FROM catalog_items WHERE code = '" + code + "'");
  }
  json::object get_item(long long id, const Session* s = nullptr) {
    auto r = hall->get("/api/v1/catalog/items/" + std::to_string(id), s ? s : &admin);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }
  // An edit body from an item as returned by the API.
  static json::object input_of(const json::object& item) {
    json::object in;
    for (const char* k : {"code", "unit_id", "name", "name_en", "category", "handling_mode", "online_url", "window_ids",
                          "eligibility", "periods", "time_limit_days", "fee_fen", "fee_text", "policy_basis", "faq",
                          "contact", "queue_prefix", "daily_quota"})
      in[k] = item.at(k);
    json::array mats;
    for (const auto& m : item.at("materials").as_array()) {
      json::object o;
      for (const char* k : {"name", "name_en", "originals", "copies", "spec", "required", "condition", "form_file_id"})
        o[k] = m.as_object().at(k);
      mats.push_back(o);
    }
    in["materials"] = mats;
    return in;
  }
  HttpResponse put(const std::string& path, const json::value& body, const Session* s) {
    return hall->send("PUT", path, json::serialize(body), s);
  }
  HttpResponse upload(const std::string& bytes, const std::string& name, const Session* s) {
    return hall->send("POST", "/api/v1/catalog/files?file_name=" + name, bytes, s, {}, "application/octet-stream");
  }

  std::unique_ptr<TestHall> hall;
  Session admin;
};

INSTANTIATE_TEST_SUITE_P(Backends, CatalogApi, testing::ValuesIn(backends()), backend_name);

TEST_P(CatalogApi, DemoCatalogIsRealistic) {
  EXPECT_GE(hall->count("SELECT COUNT(*) FROM catalog_items"), 30);
  EXPECT_EQ(hall->count("SELECT COUNT(DISTINCT unit_id) FROM catalog_items"), 10);
  auto card = get_item(item_id("JWC-003"));
  EXPECT_EQ(card.at("name"), "学生证补办");
  EXPECT_EQ(card.at("fee_fen"), 1000);  // ¥10
  EXPECT_EQ(card.at("time_limit_days"), 5);
  EXPECT_EQ(card.at("contact").at("person"), "李娟");
  EXPECT_GE(card.at("materials").as_array().size(), 2u);
}

TEST_P(CatalogApi, CreateEditAndImmutableVersions) {
  long long id = item_id("JWC-001");
  json::object before = get_item(id);
  long long v1 = before.at("version_id").as_int64();
  auto v1_before = hall->get("/api/v1/catalog/versions/" + std::to_string(v1), &admin);
  ASSERT_EQ(v1_before.status, 200) << v1_before.body;

  json::object in = input_of(before);
  in["name"] = "在读证明（中英文）";
  in["time_limit_days"] = 1;
  in["materials"].as_array().push_back(json::object{{"name", "英文翻译件"}, {"originals", 1}, {"copies", 0}, {"required", false},
                                                     {"condition", "需要英文版时提交"}});
  in["expected_version_id"] = v1;
  in["change_note"] = "增加英文版";
  auto r = put("/api/v1/catalog/items/" + std::to_string(id), in, &admin);
  ASSERT_EQ(r.status, 200) << r.body;
  auto after = r.json().as_object();
  EXPECT_EQ(after.at("version_no"), 2);
  EXPECT_NE(after.at("version_id").as_int64(), v1);
  EXPECT_EQ(after.at("name"), "在读证明（中英文）");
  EXPECT_EQ(after.at("name_initials"), "zdzmzyw");

  // The old version reads exactly as before the edit.
  auto v1_after = hall->get("/api/v1/catalog/versions/" + std::to_string(v1), &admin);
  auto a = v1_before.json().as_object(), b = v1_after.json().as_object();
  EXPECT_EQ(a.at("current"), true);
  EXPECT_EQ(b.at("current"), false);
  a.erase("current");
  b.erase("current");
  EXPECT_EQ(json::serialize(a), json::serialize(b));
  EXPECT_EQ(b.at("name"), "在读证明");

  auto versions = hall->get("/api/v1/catalog/items/" + std::to_string(id) + "/versions", &admin).json();
  ASSERT_EQ(versions.at("items").as_array().size(), 2u);
  EXPECT_EQ(versions.at("items").at(0).at("version_no"), 2);
  EXPECT_EQ(versions.at("items").at(0).at("change_note"), "增加英文版");
  EXPECT_EQ(versions.at("items").at(0).at("created_by").at("name"), "系统管理员");

  // The same content again: no new version. A stale expected_version_id: 409.
  in.erase("expected_version_id");
  in["change_note"] = "";
  EXPECT_EQ(put("/api/v1/catalog/items/" + std::to_string(id), in, &admin).json().at("version_no"), 2);
  in["expected_version_id"] = v1;
  in["time_limit_days"] = 2;
  auto stale = put("/api/v1/catalog/items/" + std::to_string(id), in, &admin);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.error_code(), "stale_version");

  // Versions cannot be changed behind the API either.
  EXPECT_THROW(hall->count("UPDATE catalog_item_versions SET name = 'x' WHERE id = " + std::to_string(v1)), std::exception);

  // Create: code generated from the unit, version 1.
  json::object fresh = input_of(before);
  fresh.erase("code");
  fresh["name"] = "选课证明";
  auto c = hall->post("/api/v1/catalog/items", fresh, &admin);
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(c.json().at("version_no"), 1);
  EXPECT_EQ(std::string(c.json().at("code").as_string()).substr(0, 4), "JWC-");
  fresh["code"] = c.json().at("code");
  auto dup = hall->post("/api/v1/catalog/items", fresh, &admin);
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.error_code(), "duplicate_code");
  EXPECT_GE(hall->count("SELECT COUNT(*) FROM audit_log WHERE action = 'catalog.item_updated'"), 1);
}

TEST_P(CatalogApi, UnitStaffEditOnlyTheirOwnUnit) {
  Session jwc = hall->login("staff01", "staff123");  // 教务处
  long long cwc_item = item_id("CWC-001");              // 财务处
  json::object item = get_item(cwc_item);
  json::object in = input_of(item);
  in["name"] = "被改掉的名字";
  auto before = hall->table_counts();
  auto r = put("/api/v1/catalog/items/" + std::to_string(cwc_item), in, &jwc);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.error_code(), "forbidden");
  EXPECT_EQ(hall->table_counts(), before);
  EXPECT_EQ(get_item(cwc_item).at("name"), item.at("name"));
  EXPECT_EQ(hall->post("/api/v1/catalog/items/" + std::to_string(cwc_item) + "/suspend", json::object{{"reason", "x"}}, &jwc).status,
            403);
  // Creating an item for another unit, or moving one's own item there, is refused too.
  json::object mine = input_of(get_item(item_id("JWC-002")));
  json::object moved = mine;
  moved["unit_id"] = item.at("unit_id");
  EXPECT_EQ(put("/api/v1/catalog/items/" + std::to_string(item_id("JWC-002")), moved, &jwc).status, 403);
  json::object other = in;
  other.erase("code");
  EXPECT_EQ(hall->post("/api/v1/catalog/items", other, &jwc).status, 403);
  EXPECT_EQ(hall->table_counts(), before);

  // Their own unit's item: allowed. The unit head too.
  mine["time_limit_days"] = 1;
  EXPECT_EQ(put("/api/v1/catalog/items/" + std::to_string(item_id("JWC-002")), mine, &jwc).status, 200);
  Session head = hall->login("jwc_head", "head1234");
  mine["time_limit_days"] = 2;
  EXPECT_EQ(put("/api/v1/catalog/items/" + std::to_string(item_id("JWC-002")), mine, &head).status, 200);
  EXPECT_EQ(put("/api/v1/catalog/items/" + std::to_string(cwc_item), in, &head).status, 403);
  // Students may read but not write; nobody anonymous may write.
  Session student = hall->login("2023001001", "student123");
  EXPECT_EQ(put("/api/v1/catalog/items/" + std::to_string(cwc_item), in, &student).status, 403);
  EXPECT_EQ(put("/api/v1/catalog/items/" + std::to_string(cwc_item), in, nullptr).status, 401);
  // The teacher edits every unit's items.
  Session teacher = hall->login("teacher", "teacher123");
  EXPECT_EQ(put("/api/v1/catalog/items/" + std::to_string(cwc_item), in, &teacher).status, 200);
}

struct BadCase {
  const char* label;
  std::function<void(json::object&)> change;
  int status;
  const char* code;
  const char* field;
};

TEST_P(CatalogApi, BadInputIsRefusedAndChangesNothing) {
  json::object base = input_of(get_item(item_id("JWC-003")));
  base.erase("code");
  std::string long_name(101 * 3, '\0');
  long_name.clear();
  for (int i = 0; i < 101; ++i) long_name += "证";
  const BadCase cases[] = {
      {"missing name", [](json::object& o) { o.erase("name"); }, 400, "missing_field", "name"},
      {"empty name", [](json::object& o) { o["name"] = "  "; }, 400, "empty_field", "name"},
      {"name too long", [&](json::object& o) { o["name"] = long_name; }, 400, "too_long", "name"},
      {"policy too long", [](json::object& o) { o["policy_basis"] = std::string(2001, 'x'); }, 400, "too_long", "policy_basis"},
      {"control characters", [](json::object& o) { o["name"] = "在读\x01证明"; }, 400, "invalid_characters", "name"},
      {"negative time limit", [](json::object& o) { o["time_limit_days"] = -1; }, 400, "out_of_range", "time_limit_days"},
      {"time limit too big", [](json::object& o) { o["time_limit_days"] = 366; }, 400, "out_of_range", "time_limit_days"},
      {"time limit as text", [](json::object& o) { o["time_limit_days"] = "3"; }, 400, "wrong_type", "time_limit_days"},
      {"negative fee", [](json::object& o) { o["fee_fen"] = -100; }, 400, "out_of_range", "fee_fen"},
      {"unknown unit", [](json::object& o) { o["unit_id"] = 99999; }, 400, "unknown_unit", "unit_id"},
      {"unknown window", [](json::object& o) { o["window_ids"] = json::array{99999}; }, 400, "unknown_window", "window_ids[0]"},
      {"window id text", [](json::object& o) { o["window_ids"] = json::array{"1"}; }, 400, "wrong_type", "window_ids[0]"},
      {"no window on site", [](json::object& o) { o["window_ids"] = json::array{}; }, 400, "windows_required", "window_ids"},
      {"bad handling mode", [](json::object& o) { o["handling_mode"] = "by_post"; }, 400, "invalid_handling_mode", "handling_mode"},
      {"online without url", [](json::object& o) { o["handling_mode"] = "both"; o["online_url"] = ""; }, 400, "online_url_required", "online_url"},
      {"not a real date", [](json::object& o) { o["periods"] = json::array{json::object{{"from", "2025-02-30"}, {"to", "2025-03-10"}}}; },
       400, "invalid_date", "periods[0].from"},
      {"slashed date", [](json::object& o) { o["periods"] = json::array{json::object{{"from", "2025/09/01"}, {"to", "2025-09-10"}}}; },
       400, "invalid_date", "periods[0].from"},
      {"period ends first", [](json::object& o) { o["periods"] = json::array{json::object{{"from", "2025-09-10"}, {"to", "2025-09-01"}}}; },
       400, "invalid_period", "periods[0].to"},
      {"conditional without condition",
       [](json::object& o) { o["materials"] = json::array{json::object{{"name", "委托书"}, {"required", false}}}; }, 400,
       "condition_required", "materials[0].condition"},
      {"material without name", [](json::object& o) { o["materials"] = json::array{json::object{{"copies", 1}}}; }, 400,
       "missing_field", "materials[0].name"},
      {"unknown form file",
       [](json::object& o) { o["materials"] = json::array{json::object{{"name", "申请表"}, {"form_file_id", 424242}}}; }, 400,
       "unknown_file", "materials[0].form_file_id"},
      {"queue prefix two letters", [](json::object& o) { o["queue_prefix"] = "AB"; }, 400, "too_long", "queue_prefix"},
      {"queue prefix digit", [](json::object& o) { o["queue_prefix"] = "1"; }, 400, "invalid_queue_prefix", "queue_prefix"},
      {"no referral office", [](json::object& o) { o["contact"].as_object()["office"] = ""; }, 400, "contact_required", "contact.office"},
      {"unknown field", [](json::object& o) { o["owner"] = "me"; }, 400, "unknown_field", "owner"},
      {"unknown nested field", [](json::object& o) { o["contact"].as_object()["email"] = "a@b"; }, 400, "unknown_field", "contact.email"},
      {"bad code", [](json::object& o) { o["code"] = "jwc 1'; --"; }, 400, "invalid_code", "code"},
      {"too many faq", [](json::object& o) {
         json::array a;
         for (int i = 0; i < 51; ++i) a.push_back(json::object{{"q", "q"}, {"a", "a"}});
         o["faq"] = a;
       }, 400, "too_many", "faq"},
  };
  auto before = hall->table_counts();
  for (const auto& c : cases) {
    json::object body = base;
    c.change(body);
    auto r = hall->post("/api/v1/catalog/items", body, &admin);
    EXPECT_EQ(r.status, c.status) << c.label << ": " << r.body;
    EXPECT_EQ(r.error_code(), c.code) << c.label << ": " << r.body;
    EXPECT_EQ(r.error_field(), c.field) << c.label << ": " << r.body;
  }
  EXPECT_EQ(hall->table_counts(), before);
  // Not JSON at all.
  EXPECT_EQ(hall->send("POST", "/api/v1/catalog/items", "{\"name\":", &admin).status, 400);
  EXPECT_EQ(hall->send("POST", "/api/v1/catalog/items", "name=x", &admin, {}, "application/x-www-form-urlencoded").status, 415);

  // SQL metacharacters are data, stored and returned verbatim.
  json::object sql = base;
  sql["name"] = "证明'); DROP TABLE catalog_items; --";
  sql["eligibility"] = "100% \"学生\" _ \\ ; --";
  auto r = hall->post("/api/v1/catalog/items", sql, &admin);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("name"), "证明'); DROP TABLE catalog_items; --");
  EXPECT_EQ(r.json().at("eligibility"), "100% \"学生\" _ \\ ; --");
  EXPECT_GE(hall->count("SELECT COUNT(*) FROM catalog_items"), 30);
  auto found = hall->get("/api/v1/public/catalog?q=DROP%20TABLE").json();
  EXPECT_EQ(found.at("total"), 1);
  EXPECT_EQ(hall->get("/api/v1/public/catalog?q=%25").json().at("total"), 0);
}

std::string minimal_pdf() { return "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"; }

TEST_P(CatalogApi, FormUploadsAreTypeAndSizeChecked) {
  auto r = upload(minimal_pdf(), "%E5%9C%A8%E8%AF%BB%E8%AF%81%E6%98%8E%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf", &admin);
  ASSERT_EQ(r.status, 201) << r.body;
  long long fid = r.json().at("id").as_int64();
  EXPECT_EQ(r.json().at("mime"), "application/pdf");
  EXPECT_EQ(r.json().at("file_name"), "在读证明申请表.pdf");

  // Served publicly with the right type and name.
  auto f = hall->get("/api/v1/catalog/files/" + std::to_string(fid));
  EXPECT_EQ(f.status, 200);
  EXPECT_EQ(f.body, minimal_pdf());
  EXPECT_EQ(f.header("content-type"), "application/pdf");
  EXPECT_NE(f.header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_NE(f.header("content-disposition").find("filename*=UTF-8''%E5%9C%A8"), std::string::npos);
  EXPECT_EQ(f.header("x-content-type-options"), "nosniff");

  // The bytes decide, not the name.
  auto fake = upload("just text pretending", "form.pdf", &admin);
  EXPECT_EQ(fake.status, 415);
  EXPECT_EQ(fake.error_code(), "unsupported_file_type");
  EXPECT_EQ(upload("MZ\x90 an executable", "form.docx", &admin).status, 415);
  EXPECT_EQ(upload("<html><script>alert(1)</script>", "sample.jpg", &admin).status, 415);
  auto png = upload(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "sample.pdf", &admin);
  ASSERT_EQ(png.status, 201);
  EXPECT_EQ(png.json().at("mime"), "image/png");
  EXPECT_EQ(png.json().at("file_name"), "sample.png");
  tabular::Table t;
  t.headers = {"a"};
  t.add_row({"1"});
  auto xlsx = upload(tabular::write_xlsx(t, "x"), "表.xlsx", &admin);
  ASSERT_EQ(xlsx.status, 201) << xlsx.body;
  EXPECT_EQ(xlsx.json().at("mime"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(upload("", "empty.pdf", &admin).status, 400);
  std::string big = minimal_pdf() + std::string((10u << 20) - minimal_pdf().size() + 1, ' ');
  EXPECT_EQ(upload(big, "big.pdf", &admin).status, 413);
  // Who may upload: catalog.write only.
  Session student = hall->login("2023001001", "student123");
  EXPECT_EQ(upload(minimal_pdf(), "x.pdf", &student).status, 403);
  EXPECT_EQ(hall->get("/api/v1/catalog/files/999999").status, 404);

  // A material links its blank form; the public item page offers it.
  long long id = item_id("JWC-008");
  json::object in = input_of(get_item(id));
  in["materials"].as_array()[0].as_object()["form_file_id"] = fid;
  ASSERT_EQ(put("/api/v1/catalog/items/" + std::to_string(id), in, &admin).status, 200);
  auto pub = hall->get("/api/v1/public/catalog/items/" + std::to_string(id)).json();
  EXPECT_EQ(pub.at("materials").at(0).at("form").at("url").as_string(), "/api/v1/catalog/files/" + std::to_string(fid));
}

TEST_P(CatalogApi, ExcelExportImportRoundTrip) {
  auto ex = hall->get("/api/v1/catalog/export?format=xlsx", &admin);
  ASSERT_EQ(ex.status, 200) << ex.body;
  EXPECT_EQ(ex.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  long long items = hall->count("SELECT COUNT(*) FROM catalog_items");
  long long versions = hall->count("SELECT COUNT(*) FROM catalog_item_versions");

  // Importing the export unchanged changes nothing.
  auto im = hall->send("POST", "/api/v1/catalog/import?file_name=catalog.xlsx", ex.body, &admin, {},
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  ASSERT_EQ(im.status, 200) << im.body;
  EXPECT_EQ(im.json().at("committed"), true) << im.body;
  EXPECT_EQ(im.json().at("unchanged"), items) << im.body;
  EXPECT_EQ(im.json().at("updated"), 0) << im.body;
  EXPECT_EQ(hall->count("SELECT COUNT(*) FROM catalog_item_versions"), versions);

  // Edit two cells of 在读证明 and add a new item: one new version, one new item.
  tabular::Table t = tabular::read_xlsx(ex.body);
  tabular::HeaderMap map(t, {{"code", {"事项编码"}}, {"name", {"事项名称"}}, {"time_limit", {"承诺时限"}}},
                         tabular::UnknownColumns::ignore);
  std::size_t code_col = *map.index("code"), name_col = *map.index("name"), limit_col = *map.index("time_limit");
  std::vector<std::vector<std::string>> copies;
  for (auto& row : t.rows)
    if (row.cells[code_col] == "JWC-001") {
      copies.push_back(row.cells);
      row.cells[name_col] = "在读证明（新版）";
      row.cells[limit_col] = "1 个工作日";
    }
  ASSERT_GE(copies.size(), 2u);
  for (auto cells : copies) {
    cells[code_col] = "JWC-900";
    cells[name_col] = "选课证明";
    t.add_row(cells);
  }
  auto im2 = hall->send("POST", "/api/v1/catalog/import", tabular::write_xlsx(t, "服务事项"), &admin, {},
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  ASSERT_EQ(im2.status, 200) << im2.body;
  EXPECT_EQ(im2.json().at("updated"), 1) << im2.body;
  EXPECT_EQ(im2.json().at("created"), 1) << im2.body;
  auto v = hall->get("/api/v1/catalog/items/" + std::to_string(item_id("JWC-001")) + "/versions", &admin).json();
  ASSERT_EQ(v.at("items").as_array().size(), 2u);
  EXPECT_EQ(v.at("items").at(0).at("name"), "在读证明（新版）");
  EXPECT_EQ(v.at("items").at(0).at("time_limit_days"), 1);
  EXPECT_EQ(v.at("items").at(1).at("name"), "在读证明");
  EXPECT_EQ(get_item(item_id("JWC-900")).at("materials"), get_item(item_id("JWC-001")).at("materials"));

  // CSV works too.
  auto csv = hall->get("/api/v1/catalog/export?format=csv", &admin);
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("在读证明（新版）"), std::string::npos);
}

TEST_P(CatalogApi, ImportWithBadRowsReportsThemAndCommitsNothing) {
  std::string csv =
      "事项编码,事项名称,办理单位,类别,办理方式,办理窗口,承诺时限,收费（元）,咨询科室,材料名称,原件份数,是否必需,提交条件\n"
      "NEW-001,奖学金证明,XGB,证明开具,现场,4,即办,免费,学生工作部,学生证,1,必需,\n"
      "NEW-002,不存在单位的事项,NOPE,证明开具,现场,4,即办,免费,某处,,,,\n"
      "NEW-003,负时限,XGB,证明开具,现场,4,-3,免费,学生工作部,,,,\n"
      "NEW-004,坏窗口,XGB,证明开具,现场,42,即办,免费,学生工作部,,,,\n"
      "NEW-005,条件材料,XGB,证明开具,现场,4,3,10.5,学生工作部,委托书,1,条件,\n"
      "NEW-006,申请时段,XGB,证明开具,现场,4,即办,abc,学生工作部,,,,\n";
  auto before = hall->table_counts();
  auto r = hall->send("POST", "/api/v1/catalog/import?file_name=c.csv", csv, &admin, {}, "text/csv");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json().as_object();
  EXPECT_EQ(j.at("committed"), false);
  auto rej = j.at("rejected").as_array();
  ASSERT_EQ(rej.size(), 5u) << r.body;
  EXPECT_EQ(rej[0].at("row"), 3);
  EXPECT_EQ(rej[0].at("field"), "unit");
  EXPECT_EQ(rej[1].at("row"), 4);
  EXPECT_EQ(rej[1].at("field"), "time_limit");
  EXPECT_EQ(rej[2].at("code"), "unknown_window");
  EXPECT_EQ(rej[3].at("code"), "condition_required");
  EXPECT_EQ(rej[4].at("field"), "fee");
  EXPECT_NE(rej[0].at("message").as_string().find("第 3 行"), std::string::npos);
  EXPECT_EQ(hall->table_counts(), before);

  auto r2 = hall->send("POST", "/api/v1/catalog/import?file_name=c.csv&skip_bad_rows=true", csv, &admin, {}, "text/csv");
  ASSERT_EQ(r2.status, 200) << r2.body;
  EXPECT_EQ(r2.json().at("committed"), true);
  EXPECT_EQ(r2.json().at("created"), 1);
  EXPECT_EQ(r2.json().at("rejected").as_array().size(), 5u);
  auto item = get_item(item_id("NEW-001"));
  EXPECT_EQ(item.at("materials").at(0).at("name"), "学生证");

  // Unit staff import only their own unit's rows.
  Session jwc = hall->login("staff01", "staff123");
  std::string other = "事项编码,事项名称,办理单位,类别,办理方式,办理窗口,承诺时限,咨询科室\n"
                      "NEW-100,别人的事项,CWC,财务缴费,现场,3,即办,财务处\n";
  auto r3 = hall->send("POST", "/api/v1/catalog/import?file_name=c.csv", other, &jwc, {}, "text/csv");
  EXPECT_EQ(r3.json().at("rejected").at(0).at("code"), "forbidden");
  // A missing column is a whole-file error.
  auto r4 = hall->send("POST", "/api/v1/catalog/import?file_name=c.csv", "事项名称\n在读证明\n", &admin, {}, "text/csv");
  EXPECT_EQ(r4.status, 400);
  EXPECT_EQ(r4.error_code(), "missing_column");
}

std::string url_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.') out += static_cast<char>(c);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

TEST_P(CatalogApi, PublicSearchTable) {
  int cases = 0;
  for (const auto& row : read_tsv("tests/catalog/search.tsv", 3)) {
    const auto& cols = row.cells;
    const std::string line = row.where() + " " + cols[0];
    auto r = hall->get("/api/v1/public/catalog?q=" + url_encode(cols[0]));  // no login (B6.4)
    ASSERT_EQ(r.status, 200) << line << " " << r.body;
    std::set<std::string> names;
    json::value body = r.json();
    for (const auto& it : body.at("items").as_array()) names.insert(std::string(it.at("name").as_string()));
    if (cols[1] != "-")
      for (const auto& want : split(cols[1], '|')) EXPECT_TRUE(names.count(want)) << "“" << cols[0] << "” should find " << want;
    if (cols[1] == "-") EXPECT_TRUE(names.empty()) << "“" << cols[0] << "” should find nothing";
    if (cols[2] != "-")
      for (const auto& bad : split(cols[2], '|')) EXPECT_FALSE(names.count(bad)) << "“" << cols[0] << "” should not find " << bad;
    ++cases;
  }
  EXPECT_GE(cases, 20);
  // The best match comes first; filters by unit and category.
  auto zd = hall->get("/api/v1/public/catalog?q=zdzm").json();
  EXPECT_EQ(zd.at("items").at(0).at("name"), "在读证明");
  EXPECT_NE(hall->get("/api/v1/public/catalog?q=zdzm").header("server-timing").find("search;dur="), std::string::npos);
  long long cwc = hall->count("SELECT id FROM units WHERE code = 'CWC'");
  auto by_unit = hall->get("/api/v1/public/catalog?unit_id=" + std::to_string(cwc)).json();
  EXPECT_EQ(by_unit.at("total"), 3);
  for (const auto& it : by_unit.at("items").as_array()) EXPECT_EQ(it.at("unit").at("code"), "CWC");
  auto by_cat = hall->get("/api/v1/public/catalog?category=" + url_encode("学生资助")).json();
  EXPECT_EQ(by_cat.at("total"), 4);
  EXPECT_EQ(hall->get("/api/v1/public/catalog?unit_id=" + std::to_string(cwc) + "&q=zdzm").json().at("total"), 0);
  EXPECT_EQ(hall->get("/api/v1/public/catalog?unit_id=abc").status, 400);
  auto facets = hall->get("/api/v1/public/catalog/facets").json();
  EXPECT_EQ(facets.at("units").as_array().size(), 10u);
  EXPECT_EQ(facets.at("halls").at(0).at("windows").as_array().size(), 10u);
}

TEST_P(CatalogApi, PublicItemPageAndSuspension) {
  long long id = item_id("JWC-001");
  auto r = hall->get("/api/v1/public/catalog/items/" + std::to_string(id));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json().as_object();
  EXPECT_EQ(j.at("name"), "在读证明");
  EXPECT_EQ(j.at("time_limit_days"), 0);  // 即办
  EXPECT_GE(j.at("materials").as_array().size(), 2u);
  EXPECT_EQ(j.at("suspended"), false);
  auto where = j.at("where").as_array();
  ASSERT_EQ(where.size(), 1u);
  int serving = 0;
  for (const auto& w : where[0].at("windows").as_array()) serving += w.at("serves").as_bool() ? 1 : 0;
  EXPECT_EQ(where[0].at("windows").as_array().size(), 10u);
  EXPECT_EQ(serving, 2);
  EXPECT_EQ(hall->get("/api/v1/public/catalog/items/999999").status, 404);
  EXPECT_EQ(hall->get("/api/v1/public/catalog/items/abc").status, 404);

  auto s = hall->post("/api/v1/catalog/items/" + std::to_string(id) + "/suspend",
                      json::object{{"reason", "系统升级，暂停至 9 月 1 日"}, {"reason_en", "System upgrade until 1 September"}}, &admin);
  ASSERT_EQ(s.status, 200) << s.body;
  auto found = hall->get("/api/v1/public/catalog?q=zdzm").json().at("items").at(0);
  EXPECT_EQ(found.at("name"), "在读证明");
  EXPECT_EQ(found.at("suspended"), true);
  EXPECT_EQ(found.at("suspended_reason"), "系统升级，暂停至 9 月 1 日");
  auto page = hall->get("/api/v1/public/catalog/items/" + std::to_string(id)).json();
  EXPECT_EQ(page.at("suspended"), true);
  EXPECT_EQ(page.at("suspended_reason_en"), "System upgrade until 1 September");
  EXPECT_EQ(page.at("open_now"), false);
  EXPECT_EQ(hall->post("/api/v1/catalog/items/" + std::to_string(id) + "/suspend", json::object{}, &admin).error_code(),
            "missing_field");
  EXPECT_EQ(hall->post("/api/v1/catalog/items/" + std::to_string(id) + "/resume", json::object{}, &admin).status, 200);
  EXPECT_EQ(hall->get("/api/v1/public/catalog?q=zdzm").json().at("items").at(0).at("suspended"), false);
  auto staff_list = hall->get("/api/v1/catalog/items?suspended=true", &admin).json();
  EXPECT_EQ(staff_list.at("total"), 0);
}

}  // namespace
}  // namespace hall::test
