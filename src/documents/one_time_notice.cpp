// 一次性告知书 (B6.2). Snapshot keys: case_no, notice_no, student_name,
// student_no, item_name, staff_name, outside_remit (bool), materials_required
// [names], application_limit, missing [names], defective [{name, correction}],
// refusal_reason, remarks; plus hall_name, issuer_unit, issued_on from the registry.
#include <fmt/format.h>

#include "documents/case_templates.hpp"

namespace hall::documents {

namespace {

std::vector<std::string> strings(const json::object& c, const char* key) {
  std::vector<std::string> out;
  if (auto* a = c.if_contains(key); a && a->is_array())
    for (const auto& v : a->as_array())
      if (v.is_string()) out.emplace_back(v.as_string());
  return out;
}

const char* kNone = "无。";

}  // namespace

DocumentType one_time_notice_type() {
  DocumentType t;
  t.type = "one_time_notice";
  t.name = {"一次性告知书", "One-time notice"};
  t.number_code = "GZ";
  t.fill = nullptr;  // issued by the cases capability (cases/documents.cpp)
  t.layout = [](const json::object& c) {
    Layout l;
    l.title = "一次性告知书";
    l.blocks.push_back(blocks::fields({{"告知书编号", field(c, "notice_no")},
                                       {"办件编号", field(c, "case_no")},
                                       {"申请人", field(c, "student_name") + (field(c, "student_no").empty()
                                                                                ? ""
                                                                                : "（学号 " + field(c, "student_no") + "）")},
                                       {"申请事项", field(c, "item_name")},
                                       {"告知日期", chinese_date(field(c, "issued_on"))},
                                       {"经办人", field(c, "staff_name")}}));
    l.blocks.push_back(blocks::paragraph(fmt::format(
        "{} 同学：您好！您申请办理的“{}”事项，经窗口核对，现根据一次性告知制度，将需要您知悉和补充的全部内容一次性告知如下：",
        esc(field(c, "student_name")), esc(field(c, "item_name")))));

    bool outside = false;
    if (auto* v = c.if_contains("outside_remit"); v && v->is_bool()) outside = v->as_bool();
    l.blocks.push_back(blocks::heading("一、是否属于本大厅受理范围"));
    l.blocks.push_back(blocks::plain(outside ? "本事项不属于本大厅受理范围，请按转介单前往负责处室办理。"
                                             : "本事项属于本大厅受理范围。"));

    l.blocks.push_back(blocks::heading("二、办理本事项所需的全部材料"));
    auto required = strings(c, "materials_required");
    if (required.empty()) l.blocks.push_back(blocks::plain(kNone));
    else {
      std::vector<std::string> items;
      for (const auto& n : required) items.push_back(esc(n));
      l.blocks.push_back(blocks::list(items));
    }

    l.blocks.push_back(blocks::heading("三、申请时限"));
    l.blocks.push_back(blocks::plain(esc(field(c, "application_limit").empty() ? "随时可申请" : field(c, "application_limit"))));

    l.blocks.push_back(blocks::heading("四、需补交的材料"));
    auto missing = strings(c, "missing");
    if (missing.empty()) l.blocks.push_back(blocks::plain(kNone));
    else {
      std::vector<std::string> items;
      for (const auto& n : missing) items.push_back(esc(n));
      l.blocks.push_back(blocks::list(items));
    }

    l.blocks.push_back(blocks::heading("五、需补正的材料及补正要求"));
    std::vector<std::vector<std::string>> rows;
    if (auto* d = c.if_contains("defective"); d && d->is_array())
      for (const auto& v : d->as_array())
        if (v.is_object()) rows.push_back({field(v.as_object(), "name"), field(v.as_object(), "correction")});
    if (rows.empty()) l.blocks.push_back(blocks::plain(kNone));
    else l.blocks.push_back(blocks::table({"材料", "补正要求"}, rows));

    l.blocks.push_back(blocks::heading("六、不予受理的理由"));
    std::string refusal = field(c, "refusal_reason");
    l.blocks.push_back(blocks::plain(refusal.empty() ? kNone : esc(refusal)));

    if (!field(c, "remarks").empty()) {
      l.blocks.push_back(blocks::heading("备注"));
      l.blocks.push_back(blocks::plain(esc(field(c, "remarks"))));
    }
    l.blocks.push_back(blocks::note(
        "以上为办理本事项需要补充的全部内容，窗口不会再要求本告知书以外的材料。补齐后请携带本告知书到窗口继续办理，"
        "办件将从中断处继续，办结时限扣除等待材料的时间。"));
    l.blocks.push_back(blocks::signature(field(c, "issuer_unit"), chinese_date(field(c, "issued_on"))));
    return l;
  };
  return t;
}

void register_case_templates() {
  register_type(one_time_notice_type());
  register_type(referral_slip_type());
}

}  // namespace hall::documents
