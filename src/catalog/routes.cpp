#include "catalog/routes.hpp"

#include <fmt/format.h>

#include "auth/caller.hpp"
#include "catalog/errors.hpp"
#include "catalog/module.hpp"
#include "catalog/service.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "db/database.hpp"
#include "tabular/errors.hpp"

namespace hall::catalog {

using http::Access;
using http::Request;
using http::Response;

namespace {

SearchQuery search_query(const Request& req) {
  SearchQuery q;
  q.q = req.query_param("q").value_or("");
  if (utf8_length(q.q) > 100) throw hall::errors::too_long.with("q", "q", 100);
  q.unit_id = req.query_int("unit_id", 1, INT64_MAX);
  q.category = req.query_param("category").value_or("");
  return q;
}

bool flag(const Request& req, const std::string& name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return false;
  if (*v == "true" || *v == "1" || *v == "yes") return true;
  if (*v == "false" || *v == "0" || *v == "no") return false;
  throw hall::errors::wrong_type.with(name, Text{"参数 " + name, "Parameter " + name},
                                      Text{" true 或 false", "true or false"});
}

Response binary(std::string body, const std::string& mime, const std::string& file_name, bool inline_view) {
  Response r;
  r.status = 200;
  r.content_type = mime;
  r.body = std::move(body);
  r.header("Content-Disposition", content_disposition(file_name, inline_view));
  r.header("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace

void register_routes(http::Router& router, Deps& deps) {
  if (!deps.config.data_dir.empty()) set_pinyin_data_dir(deps.config.data_dir);
  pinyin_table();  // loaded at start: a missing data file is a deployment error, reported now
  auto svc = std::make_shared<CatalogService>(*deps.db, deps.config);

  // ---- staff console -------------------------------------------------------
  router.get("/api/v1/catalog/items", Access::any_user(), [svc](Request& req) {
    ListQuery q;
    q.search = search_query(req);
    if (auto s = req.query_param("suspended"); s && !s->empty()) q.suspended = flag(req, "suspended");
    std::tie(q.page, q.page_size) = req.paging();
    return Response::json(svc->list(q));
  });
  router.post("/api/v1/catalog/items", Access::perm("catalog.write"), [svc](Request& req) {
    ItemInput in = parse_item_input(req.json_body());
    return Response::json(svc->create(caller_of(req), in), 201);
  });
  router.get("/api/v1/catalog/items/{id}", Access::any_user(), [svc](Request& req) {
    return Response::json(svc->item(req.param_id("id"), req.english));
  });
  router.put("/api/v1/catalog/items/{id}", Access::perm("catalog.write"), [svc](Request& req) {
    std::int64_t id = req.param_id("id");
    ItemInput in = parse_item_input(req.json_body());
    return Response::json(svc->update(caller_of(req), id, in));
  });
  router.post("/api/v1/catalog/items/{id}/suspend", Access::perm("catalog.write"), [svc](Request& req) {
    std::int64_t id = req.param_id("id");
    JsonFields f(req.json_body());
    std::string reason = f.required_string("reason", kMaxShortText);
    std::string reason_en = f.optional_string("reason_en", kMaxShortText).value_or("");
    f.finish();
    return Response::json(svc->suspend(caller_of(req), id, reason, reason_en));
  });
  router.post("/api/v1/catalog/items/{id}/resume", Access::perm("catalog.write"), [svc](Request& req) {
    return Response::json(svc->resume(caller_of(req), req.param_id("id")));
  });
  router.get("/api/v1/catalog/items/{id}/versions", Access::any_user(), [svc](Request& req) {
    return Response::json(svc->versions(req.param_id("id")));
  });
  // Tickets, cases and notices keep the version they were created under; this is how they read it back.
  router.get("/api/v1/catalog/versions/{version_id}", Access::any_user(), [svc](Request& req) {
    return Response::json(svc->version(req.param_id("version_id")));
  });

  // ---- forms ---------------------------------------------------------------
  router.post(
      "/api/v1/catalog/files", Access::perm("catalog.write"),
      [svc](Request& req) {
        std::string name = req.query_param("file_name").value_or("");
        if (name.empty()) throw hall::errors::missing_field.with("file_name", "file_name");
        check_text(name, "file_name", 200);
        auto unit = req.query_int("unit_id", 1, INT64_MAX);
        return Response::json(svc->upload_file(caller_of(req), req.body, name, unit), 201);
      },
      {.max_body = kMaxFormBytes});
  // Public (B6.4): the blank forms students download.
  router.get("/api/v1/catalog/files/{id}", Access::public_(), [svc](Request& req) {
    auto [meta, bytes] = svc->file(req.param_id("id"));
    bool inline_view = flag(req, "inline") && (meta.mime == "application/pdf" || meta.mime.rfind("image/", 0) == 0);
    Response r = binary(std::move(bytes), meta.mime, meta.file_name, inline_view);
    r.header("Cache-Control", "public, max-age=86400, immutable");  // a file id never changes content
    return r;
  });

  // ---- Excel ---------------------------------------------------------------
  router.get("/api/v1/catalog/export", Access::perm("catalog.write"), [svc](Request& req) {
    std::string format = req.query_param("format").value_or("xlsx");
    if (format != "xlsx" && format != "csv")
      throw tabular::errors::invalid_format.with("format", Text{"xlsx 或 csv", "xlsx or csv"});
    bool xlsx = format == "xlsx";
    return binary(svc->export_table(xlsx),
                  xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
                  xlsx ? "服务事项.xlsx" : "服务事项.csv", false);
  });
  router.post(
      "/api/v1/catalog/import", Access::perm("catalog.write"),
      [svc](Request& req) {
        bool skip = flag(req, "skip_bad_rows");
        std::string hint = req.query_param("file_name").value_or(req.header("content-type"));
        tabular::Table table = tabular::read_any(req.body, hint);
        ImportResult r = svc->import_table(caller_of(req), table, skip);
        json::array rejected = r.rejected;
        if (req.english)
          for (auto& v : rejected) v.as_object()["message"] = v.as_object()["message_en"];
        return Response::json(json::object{{"committed", r.committed},
                                           {"created", r.created},
                                           {"updated", r.updated},
                                           {"unchanged", r.unchanged},
                                           {"imported", r.created + r.updated},
                                           {"rejected", rejected}});
      },
      {.max_body = 10u << 20});

  // ---- public disclosure (B6.4), no login ---------------------------------
  router.get("/api/v1/public/catalog", Access::public_(), [svc](Request& req) {
    SearchQuery q = search_query(req);
    int page = static_cast<int>(req.query_int("page", 1, 1000000).value_or(1));
    int size = static_cast<int>(req.query_int("page_size", 1, 200).value_or(50));
    double micros = 0;
    Response r;
    r.body = svc->public_search(q, page, size, &micros);
    r.header("Server-Timing", fmt::format("search;dur={:.3f}", micros / 1000.0));
    return r;
  });
  router.get("/api/v1/public/catalog/facets", Access::public_(), [svc](Request&) { return Response::json(svc->facets()); });
  router.get("/api/v1/public/catalog/items/{id}", Access::public_(), [svc](Request& req) {
    return Response::json(svc->public_item(req.param_id("id"), req.english));
  });
}

}  // namespace hall::catalog
