#include "people/routes.hpp"

#include "auth/caller.hpp"
#include "auth/permissions.hpp"
#include "auth/service.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "db/database.hpp"
#include "org/model.hpp"
#include "people/errors.hpp"
#include "people/module.hpp"
#include "people/service.hpp"
#include "tabular/errors.hpp"

namespace hall::people {

using http::Access;
using http::Request;
using http::Response;

namespace {

json::object body_object(const Request& req) {
  json::value v = req.json_body();
  if (!v.is_object()) throw hall::errors::invalid_body();
  return std::move(v.as_object());
}

// Reads an optional text that the UI may send as "" (→ "").
std::optional<std::string> text_or_blank(JsonFields& f, const std::set<std::string>& blanks, std::string_view key,
                                         std::size_t max) {
  auto v = f.optional_string(key, max);
  if (blanks.count(std::string(key))) return std::string();
  return v;
}

StudentInput read_student(JsonFields& parent, const json::object& raw) {
  std::set<std::string> blanks;
  json::object obj = org::take_blanks(raw, {"major", "class_name", "phone", "card_no"}, blanks);
  JsonFields f = parent.nested(obj, "student");
  StudentInput in;
  in.student_no = f.optional_string("student_no", kMaxNumber);
  in.college_given = obj.contains("college_id");
  in.college_id = f.optional_int("college_id", 1, INT64_MAX);
  in.major = text_or_blank(f, blanks, "major", kMaxText);
  in.class_name = text_or_blank(f, blanks, "class_name", kMaxText);
  in.phone = text_or_blank(f, blanks, "phone", 32);
  in.card_given = obj.contains("card_no");
  in.card_no = f.optional_string("card_no", kMaxNumber);  // "" or null: no card
  f.finish();
  return in;
}

StaffInput read_staff(JsonFields& parent, const json::object& raw) {
  std::set<std::string> blanks;
  json::object obj = org::take_blanks(raw, {"badge_no", "phone"}, blanks);
  JsonFields f = parent.nested(obj, "staff");
  StaffInput in;
  in.staff_no = f.optional_string("staff_no", kMaxNumber);
  in.unit_given = obj.contains("unit_id");
  in.unit_id = f.optional_int("unit_id", 1, INT64_MAX);
  in.badge_no = text_or_blank(f, blanks, "badge_no", kMaxNumber);
  in.phone = text_or_blank(f, blanks, "phone", 32);
  f.finish();
  return in;
}

ImportKind import_kind(const Request& req) {
  std::string k = req.query_param("kind").value_or("");
  if (k == "student") return ImportKind::student;
  if (k == "staff") return ImportKind::staff;
  throw errors::invalid_kind.with("kind", Text{"student 或 staff", "student or staff"});
}

json::object report_json(const ImportReport& r, bool english) {
  json::array rejected;
  for (const auto& x : r.rejected)
    rejected.push_back(json::object{{"row", x.row}, {"field", x.field}, {"message", x.message.in(english)}});
  return json::object{{"imported", r.imported}, {"rejected", rejected}, {"committed", r.committed}};
}

}  // namespace

void register_routes(http::Router& router, Deps& deps) {
  router.get("/api/v1/users", Access::perm("users.read"), [&deps](Request& req) {
    auto [page, size] = req.paging();
    return Response::json(search(deps, caller_of(req), req.query_param("q").value_or(""),
                                 req.query_param("role").value_or(""), page, size));
  });

  // Bulk import: the raw file is the body (text/csv or the .xlsx MIME type).
  router.post(
      "/api/v1/users/import", Access::perm("users.write"),
      [&deps](Request& req) {
        ImportKind kind = import_kind(req);
        std::string skip = req.query_param("skip_bad_rows").value_or("false");
        if (skip != "true" && skip != "false" && skip != "1" && skip != "0")
          throw hall::errors::wrong_type.with("skip_bad_rows",
                                              Text{"参数 skip_bad_rows", "Parameter skip_bad_rows"},
                                              Text{" true 或 false", "true or false"});
        if (req.body.empty()) throw tabular::errors::empty_file();
        ImportReport r = import_file(deps, caller_of(req), kind, req.body, req.header("content-type"),
                                     skip == "true" || skip == "1");
        return Response::json(report_json(r, req.english));
      },
      {.max_body = deps.config.max_upload_bytes});

  router.get("/api/v1/users/import/template", Access::perm("users.write"), [](Request& req) {
    ImportKind kind = import_kind(req);
    std::string format = req.query_param("format").value_or("xlsx");
    if (format != "csv" && format != "xlsx")
      throw tabular::errors::invalid_format.with("format", Text{"csv 或 xlsx", "csv or xlsx"});
    tabular::Table t = import_template(kind);
    std::string base = kind == ImportKind::student ? "students-import-template" : "staff-import-template";
    Response r;
    if (format == "csv") {
      r.body = tabular::write_csv(t);
      r.content_type = "text/csv; charset=utf-8";
    } else {
      r.body = tabular::write_xlsx(t, kind == ImportKind::student ? "学生" : "工作人员");
      r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    r.header("Content-Disposition", "attachment; filename=\"" + base + "." + format + "\"");
    return r;
  });

  // Without users.read a person may read only their own account (service rule).
  router.get("/api/v1/users/{id}", Access::any_user(), [&deps](Request& req) {
    return Response::json(auth::to_json(get(deps, caller_of(req), req.param_id("id"))));
  });

  router.post("/api/v1/users", Access::perm("users.write"), [&deps](Request& req) {
    JsonFields f(body_object(req));
    NewUser in;
    in.login = f.required_string("login", kMaxLogin);
    in.name = f.required_string("name", kMaxName);
    in.role = f.required_string("role", 20);
    in.password = f.required_string("password", 128);
    if (const json::object* st = f.optional_object("student")) in.student = read_student(f, *st);
    if (const json::object* sf = f.optional_object("staff")) in.staff = read_staff(f, *sf);
    f.finish();
    return Response::json(auth::to_json(create(deps, caller_of(req), in)), 201);
  });

  router.patch("/api/v1/users/{id}", Access::perm("users.write"), [&deps](Request& req) {
    std::int64_t id = req.param_id("id");
    JsonFields f(body_object(req));
    UserPatch in;
    in.name = f.optional_string("name", kMaxName);
    in.disabled = f.optional_bool("disabled");
    in.role = f.optional_string("role", 20);
    if (const json::object* st = f.optional_object("student")) in.student = read_student(f, *st);
    if (const json::object* sf = f.optional_object("staff")) in.staff = read_staff(f, *sf);
    f.finish();
    return Response::json(auth::to_json(update(deps, caller_of(req), id, in)));
  });

  router.post("/api/v1/users/{id}/reset-password", Access::perm("users.write"), [&deps](Request& req) {
    std::int64_t id = req.param_id("id");
    JsonFields f(body_object(req));
    std::string password = f.required_string("password", 128);
    f.finish();
    reset_password(deps, caller_of(req), id, password);
    return Response::no_content();
  });
}

}  // namespace hall::people
