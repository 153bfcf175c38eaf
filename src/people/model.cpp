#include "people/model.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "org/model.hpp"

namespace hall::people {

std::string profile_of_role(const std::string& role) {
  if (role == "student") return "student";
  if (auth::role_has_staff_profile(role)) return "staff";
  return "";
}

namespace {
ApiError missing(const std::string& field) {
  return hall::errors::missing_field.with(field, field);
}
std::string text(const std::string& v, const std::string& field, std::size_t max) {
  std::string t = org::trim(v);
  check_text(t, field, max, true);
  return t;
}
}  // namespace

void apply_student(const StudentInput& in, auth::StudentProfile& p, bool creating) {
  if (in.student_no) {
    std::string no = org::trim(*in.student_no);
    org::check_identifier(no, "student.student_no", kMaxNumber);
    p.student_no = no;
  } else if (creating) {
    throw missing("student.student_no");
  }
  if (in.college_given) p.college_id = in.college_id;
  if (in.major) p.major = text(*in.major, "student.major", kMaxText);
  if (in.class_name) p.class_name = text(*in.class_name, "student.class_name", kMaxText);
  if (in.phone) {
    p.phone = org::trim(*in.phone);
    org::check_phone(p.phone, "student.phone");
  }
  if (in.card_given) {
    if (in.card_no) {
      std::string card = org::trim(*in.card_no);
      org::check_identifier(card, "student.card_no", kMaxNumber);
      p.card_no = card;
    } else {
      p.card_no.reset();
    }
  }
}

void apply_staff(const StaffInput& in, auth::StaffProfile& p, bool creating) {
  if (in.staff_no) {
    std::string no = org::trim(*in.staff_no);
    org::check_identifier(no, "staff.staff_no", kMaxNumber);
    p.staff_no = no;
  } else if (creating) {
    throw missing("staff.staff_no");
  }
  if (in.unit_given) p.unit_id = in.unit_id;
  if (in.badge_no) p.badge_no = text(*in.badge_no, "staff.badge_no", kMaxNumber);
  if (in.phone) {
    p.phone = org::trim(*in.phone);
    org::check_phone(p.phone, "staff.phone");
  }
}

std::vector<tabular::ColumnSpec> import_columns(ImportKind kind) {
  if (kind == ImportKind::student)
    return {
        {"student_no", {"学号", "student_no", "student no"}, true},
        {"name", {"姓名", "name"}, true},
        {"college", {"学院", "college", "二级学院"}, true},
        {"major", {"专业", "major"}, false},
        {"class_name", {"班级", "class_name", "class"}, false},
        {"phone", {"手机", "phone", "手机号", "电话"}, false},
        {"card_no", {"校园卡号", "card_no", "card"}, false},
        {"login", {"登录名", "login"}, false},
        {"password", {"初始密码", "password"}, false},
    };
  return {
      {"staff_no", {"工号", "staff_no", "staff no"}, true},
      {"name", {"姓名", "name"}, true},
      {"role", {"角色", "role"}, false},
      {"unit", {"单位", "unit", "入驻单位"}, false},
      {"badge_no", {"工作牌号", "badge_no", "badge"}, false},
      {"phone", {"电话", "phone", "手机"}, false},
      {"login", {"登录名", "login"}, false},
      {"password", {"初始密码", "password"}, false},
  };
}

tabular::Table import_template(ImportKind kind) {
  tabular::Table t;
  for (const auto& c : import_columns(kind)) t.headers.push_back(c.aliases.front() + (c.required ? "*" : ""));
  return t;
}

}  // namespace hall::people
