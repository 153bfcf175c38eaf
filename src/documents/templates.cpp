#include "documents/errors.hpp"
#include "documents/store.hpp"
#include "documents/templates.hpp"

#include <fmt/format.h>

#include <map>
#include <mutex>

#include "calendar/service.hpp"
#include "db/optional.hpp"

namespace hall::documents {

namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, std::shared_ptr<const DocumentType>, std::less<>> types;
};

Registry& registry() {
  static Registry r;
  return r;
}

void ensure_builtins() {
  static std::once_flag once;
  std::call_once(once, register_builtin_types);
}

ApiError incomplete_record(const std::string& what_zh, const std::string& what_en) {
  // B5: a document is complete or it is not issued.
  return errors::record_incomplete.with("", what_zh, what_en);
}

StudentRecord enrolled_student(FillContext& ctx) {
  StudentRecord s = load_student(ctx.tx, ctx.student_id);
  if (s.disabled)
    throw errors::student_not_enrolled();
  if (s.college.empty()) throw incomplete_record("学院", "college");
  if (s.major.empty()) throw incomplete_record("专业", "major");
  return s;
}

json::object student_fields(const StudentRecord& s) {
  return json::object{{"student_name", s.name},     {"student_no", s.student_no}, {"college", s.college},
                      {"major", s.major},           {"class_name", s.class_name},
                      {"enrolment_year", s.enrolment_year ? json::value(*s.enrolment_year) : json::value(nullptr)}};
}

std::string u(const std::string& value) { return "<u> " + esc(value) + " </u>"; }

// --- 在读证明 ------------------------------------------------------------------------

DocumentType enrollment_certificate() {
  DocumentType t;
  t.type = "enrollment_certificate";
  t.name = {"在读证明", "Certificate of Enrollment"};
  t.number_code = "ZM";
  t.client_fields = {{"purpose", {"用途", "Purpose"}, true, 60, {}, true}};
  t.fill = [](FillContext& ctx) {
    StudentRecord s = enrolled_student(ctx);
    json::object c = student_fields(s);
    c["purpose"] = ctx.fields.at("purpose");
    return c;
  };
  t.layout = [](const json::object& c) {
    Layout l;
    l.title = "在读证明";
    std::string year = field(c, "enrolment_year");
    std::string text = fmt::format("兹证明{}同学（学号：{}）系我校{}{}专业{}学生", u(field(c, "student_name")),
                                   esc(field(c, "student_no")), esc(field(c, "college")), esc(field(c, "major")),
                                   year.empty() ? "" : esc(year) + "级");
    if (!field(c, "class_name").empty()) text += "，所在班级为" + esc(field(c, "class_name"));
    text += "，现在我校就读。";
    l.blocks.push_back(blocks::paragraph(text));
    l.blocks.push_back(blocks::paragraph("本证明用于：" + esc(field(c, "purpose")) + "。"));
    l.blocks.push_back(blocks::paragraph("特此证明。"));
    l.blocks.push_back(blocks::signature(field(c, "issuer_unit"), chinese_date(field(c, "issued_on"))));
    l.blocks.push_back(blocks::spacer(24));
    l.blocks.push_back(blocks::note(esc("本证明根据学籍记录生成，仅证明开具之日的在读状态。经办人：" + field(c, "issuer_name") +
                                        "；开具地点：" + field(c, "hall_name") + "。")));
    return l;
  };
  return t;
}

// --- 学生证补办回执 -------------------------------------------------------------------

struct CatalogItem {
  long long version_id = 0;
  std::string name, fee_text, location, phone;
  long long fee_fen = 0;
  int days = 0;
};

// The service item the receipt is about, as the catalog publishes it now (B6.4).
CatalogItem card_item(soci::session& s) {
  auto row = store::active_item_by_name(s, "学生证补办");
  if (!row) throw errors::catalog_item_missing();
  CatalogItem it;
  it.version_id = row->version_id;
  it.name = row->name;
  it.fee_fen = row->fee_fen;
  it.fee_text = row->fee_text;
  it.days = row->days;
  it.location = row->location;
  it.phone = row->phone;
  return it;
}

DocumentType student_card_receipt() {
  DocumentType t;
  t.type = "student_card_receipt";
  t.name = {"学生证补办回执", "Student Card Replacement Receipt"};
  t.number_code = "HZ";
  t.client_fields = {{"reason",
                      {"补办原因", "Reason"},
                      true,
                      10,
                      {{"lost", {"遗失", "Lost"}}, {"damaged", {"损坏", "Damaged"}}},
                      false}};
  t.fill = [](FillContext& ctx) {
    StudentRecord s = enrolled_student(ctx);
    CatalogItem item = card_item(ctx.tx);
    if (!ctx.calendar) throw std::runtime_error("the student card receipt needs the calendar");
    // A correction keeps the day the application was accepted.
    std::string accepted = ctx.today;
    if (ctx.original) {
      std::string before = field(*ctx.original, "accepted_on");
      if (!before.empty()) accepted = before;
    }
    calendar::Date due = ctx.calendar->due_date(0, calendar::Date::parse(accepted), item.days);  // B6.3
    json::object c = student_fields(s);
    c["reason"] = ctx.fields.at("reason");
    c["accepted_on"] = accepted;
    c["expected_on"] = due.to_string();
    c["fee_fen"] = item.fee_fen;
    c["fee_text"] = item.fee_text;
    c["time_limit_days"] = item.days;
    c["pickup_location"] = item.location;
    c["contact_phone"] = item.phone;
    c["catalog_version_id"] = item.version_id;
    return c;
  };
  t.layout = [](const json::object& c) {
    Layout l;
    l.title = "学生证补办回执";
    l.blocks.push_back(blocks::plain(esc(field(c, "student_name")) + " 同学："));
    l.blocks.push_back(blocks::paragraph("您的学生证补办申请已于" + esc(chinese_date(field(c, "accepted_on"))) +
                                         "受理，有关事项如下："));
    std::string reason = field(c, "reason") == "damaged" ? "损坏" : "遗失";
    std::string cls = field(c, "major") + (field(c, "class_name").empty() ? "" : " " + field(c, "class_name"));
    long long fee = 0;
    if (const json::value* v = c.if_contains("fee_fen"); v && v->is_int64()) fee = v->as_int64();
    std::string fee_text = fee ? "¥" + yuan(fee) + (field(c, "fee_text").empty() ? "" : "（" + field(c, "fee_text") + "）")
                               : "免费";
    l.blocks.push_back(blocks::fields({{"姓名", field(c, "student_name")},
                                       {"学号", field(c, "student_no")},
                                       {"学院", field(c, "college")},
                                       {"专业班级", cls},
                                       {"补办原因", reason},
                                       {"受理日期", chinese_date(field(c, "accepted_on"))},
                                       {"收费", fee_text},
                                       {"预计领取日期", chinese_date(field(c, "expected_on"))},
                                       {"领取地点", field(c, "pickup_location")},
                                       {"咨询电话", field(c, "contact_phone")},
                                       {"经办人", field(c, "issuer_name")}}));
    l.blocks.push_back(blocks::paragraph("请于预计领取日期（按工作日计算，节假日顺延）起，凭本回执和本人身份证到" +
                                         esc(field(c, "pickup_location")) +
                                         "领取新学生证。补办期间如需证明在读身份，可到窗口开具在读证明。"));
    l.blocks.push_back(blocks::signature(field(c, "issuer_unit"), chinese_date(field(c, "issued_on"))));
    return l;
  };
  return t;
}

}  // namespace

void register_type(DocumentType t) {
  if (t.type.empty() || t.number_code.empty() || !t.layout)
    throw std::invalid_argument("a document type needs a name, a number code and a layout");
  Registry& r = registry();
  std::lock_guard lk(r.mu);
  std::string key = t.type;  // (the right side of = is evaluated first: t is moved from before the key is read)
  r.types[key] = std::make_shared<const DocumentType>(std::move(t));
}

std::shared_ptr<const DocumentType> find_type(std::string_view type) {
  ensure_builtins();
  Registry& r = registry();
  std::lock_guard lk(r.mu);
  auto it = r.types.find(type);
  return it == r.types.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const DocumentType>> all_types() {
  ensure_builtins();
  Registry& r = registry();
  std::lock_guard lk(r.mu);
  std::vector<std::shared_ptr<const DocumentType>> out;
  for (const auto& [k, v] : r.types) out.push_back(v);
  return out;
}

void register_builtin_types() {
  register_type(enrollment_certificate());
  register_type(student_card_receipt());
}

std::optional<int> enrolment_year_of(std::string_view no, int this_year) {
  if (no.size() < 5) return std::nullopt;
  int y = 0;
  for (int i = 0; i < 4; ++i) {
    if (no[i] < '0' || no[i] > '9') return std::nullopt;
    y = y * 10 + (no[i] - '0');
  }
  if (y < 1990 || y > this_year + 1) return std::nullopt;
  return y;
}

StudentRecord load_student(soci::session& s, std::int64_t id_in) {
  auto row = store::student(s, id_in);
  if (!row) throw errors::student_not_found();
  StudentRecord r;
  r.id = row->id;
  r.name = row->name;
  r.student_no = row->student_no;
  r.college = row->college;
  r.major = row->major;
  r.class_name = row->class_name;
  r.disabled = row->disabled;
  int this_year = std::stoi(local_date(Clock::now()).substr(0, 4));
  r.enrolment_year = enrolment_year_of(r.student_no, this_year);
  return r;
}

}  // namespace hall::documents
