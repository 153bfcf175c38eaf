// 转介单 (B6.1). Snapshot keys: case_no, student_name, student_no, summary,
// item_name, first_responder, office, handler, phone, location, note; plus
// hall_name, issuer_unit, issued_on from the registry.
#include <fmt/format.h>

#include "documents/case_templates.hpp"

namespace hall::documents {

DocumentType referral_slip_type() {
  DocumentType t;
  t.type = "referral_slip";
  t.name = {"转介单", "Referral slip"};
  t.number_code = "ZJ";
  t.fill = nullptr;  // issued by the cases capability (cases/documents.cpp)
  t.layout = [](const json::object& c) {
    Layout l;
    l.title = "转介单";
    std::string who = field(c, "student_name");
    if (!field(c, "student_no").empty()) who += "（学号 " + field(c, "student_no") + "）";
    std::vector<std::pair<std::string, std::string>> head{{"办件编号", field(c, "case_no")}, {"学生", who}};
    if (!field(c, "item_name").empty()) head.push_back({"事项", field(c, "item_name")});
    head.push_back({"来访事由", field(c, "summary")});
    head.push_back({"首问责任人", field(c, "first_responder")});
    head.push_back({"转介日期", chinese_date(field(c, "issued_on"))});
    l.blocks.push_back(blocks::fields(head));
    l.blocks.push_back(blocks::paragraph(fmt::format(
        "{} 同学：您好！您咨询的事项由以下处室负责办理，请您持本转介单前往，或先电话联系经办人：", esc(field(c, "student_name")))));
    l.blocks.push_back(blocks::heading("请前往"));
    std::vector<std::pair<std::string, std::string>> to{{"负责处室", field(c, "office")}, {"经办人", field(c, "handler")}};
    if (!field(c, "phone").empty()) to.push_back({"联系电话", field(c, "phone")});
    if (!field(c, "location").empty()) to.push_back({"办公地点", field(c, "location")});
    l.blocks.push_back(blocks::fields(to));
    if (!field(c, "note").empty()) {
      l.blocks.push_back(blocks::heading("说明"));
      l.blocks.push_back(blocks::plain(esc(field(c, "note"))));
    }
    l.blocks.push_back(blocks::note(fmt::format(
        "如未能联系到上述处室，请在学生事务门户中点击“未能联系上”，或致电、到大厅告知。首问责任人{}将在一个工作日内"
        "联系该处室，并主动向您答复。",
        esc(field(c, "first_responder")))));
    l.blocks.push_back(blocks::signature(field(c, "issuer_unit"), chinese_date(field(c, "issued_on"))));
    return l;
  };
  return t;
}

}  // namespace hall::documents
