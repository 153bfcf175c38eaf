#include "documents/demo.hpp"

#include "courtesy/demo.hpp"
#include "documents/service.hpp"
#include "documents/templates.hpp"

namespace hall::documents {

void seed_demo(soci::session& s, long long now) {
  courtesy::seed_demo(s, now);

  auth::Caller staff;
  {
    long long id = 0;
    std::string name, role, login = "staff01";
    s << "SELECT id, name, role FROM users WHERE login = :l", soci::use(login), soci::into(id), soci::into(name),
        soci::into(role);
    if (!s.got_data()) return;
    staff.principal.kind = auth::PrincipalKind::user;
    staff.principal.user_id = id;
    staff.principal.name = name;
    staff.principal.role = role;
    staff.principal.login = login;
    staff.address = "127.0.0.1";
  }
  long long student = 0;
  {
    std::string no = "2023001001";
    s << "SELECT user_id FROM students WHERE student_no = :n", soci::use(no), soci::into(student);
    if (!s.got_data()) return;
  }
  auto type = find_type("enrollment_certificate");
  auto content = [&](const std::string& purpose) {
    std::map<std::string, std::string> fields{{"purpose", purpose}};
    FillContext ctx{s, staff, student, fields, now, local_date(now), nullptr, nullptr};
    return type->fill(ctx);
  };
  const std::string hall = "学生事务服务大厅";
  insert_document(s, staff, {type->type, student, content("申请国家励志奖学金"), "", std::nullopt, true, "DEM0CERT0001"},
                  std::nullopt, hall, 480);
  Document wrong = insert_document(
      s, staff, {type->type, student, content("办理签证"), "", std::nullopt, true, "DEM0CERT0002"}, std::nullopt, hall, 480);
  // The replacement gets a random code like any other document.
  correct_document(s, staff, wrong.id, "用途填写不完整，应为“办理出国签证（法国）”", content("办理出国签证（法国）"), hall, 480);
}

}  // namespace hall::documents
