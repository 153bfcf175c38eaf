// HTTP ↔ DocumentService (B5).
#include "documents/errors.hpp"
#include "documents/routes.hpp"

#include "courtesy/service.hpp"
#include "documents/service.hpp"
#include "documents/module.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "calendar/service.hpp"
#include "auth/caller.hpp"

namespace hall::documents {

using http::Access;
using http::Request;
using http::Response;

namespace {

std::optional<Millis> date_param(const Request& req, const std::string& name, bool end_of_day) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  // Dates are the hall's local dates (UTC+8).
  Millis t = parse_iso8601(*v + "T00:00:00+08:00", name);
  return end_of_day ? t + 24LL * 3600 * 1000 : t;
}

// Where the QR code and printed address point: the configured public address,
// else the address the request came to.
std::string base_url(const Deps& deps, const Request& req) {
  if (!deps.config.public_base_url.empty()) return deps.config.public_base_url;
  std::string proto = req.header("x-forwarded-proto") == "https" ? "https" : "http";
  std::string host = req.header("host");
  if (host.empty() || host.find_first_of(" /\\@\"<>") != std::string::npos) host = deps.config.listen;
  return proto + "://" + host;
}

}  // namespace

void register_routes(http::Router& router, Deps& deps) {
  DocumentService* svc = deps.documents;
  const Access issue = Access::perm("documents.issue");

  // For the administrator's home page: whether the public address of QR codes and verification
  // links is configured (without it they point at whatever address a request came to).
  router.get("/api/v1/documents/link-base", Access::perm("org.write"), [&deps](Request& req) {
    return Response::json(json::object{{"configured", !deps.config.public_base_url.empty()},
                                       {"public_base_url", deps.config.public_base_url},
                                       {"this_request", base_url(deps, req)}});
  });

  router.post("/api/v1/documents", issue, courtesy::with_blocked_details([svc](Request& req) {
                JsonFields f(req.json_body());
                IssueInput in;
                in.type = f.required_string("type", 40);
                in.student_id = f.required_int("student_id", 1, INT64_MAX);
                if (const json::object* fields = f.optional_object("fields")) in.fields = *fields;
                f.finish();
                return Response::json(svc->issue(caller_of(req), in), 201);
              }));
  router.get("/api/v1/documents", issue, [svc](Request& req) {
    ListQuery q;
    q.student_id = req.query_int("student_id", 1, INT64_MAX);
    q.student_no = req.query_param("student_no").value_or("");
    q.type = req.query_param("type").value_or("");
    q.status = req.query_param("status").value_or("");
    q.text = req.query_param("q").value_or("");
    q.from_ms = date_param(req, "from", false);
    q.to_ms = date_param(req, "to", true);
    std::tie(q.page, q.page_size) = req.paging();
    return Response::json(svc->list(caller_of(req), q));
  });
  router.get("/api/v1/documents/mine", Access::perm("self.read"), [svc](Request& req) {
    auto [page, size] = req.paging();
    return Response::json(svc->mine(caller_of(req), page, size));
  });
  router.get("/api/v1/documents/types", issue,
             [svc](Request& req) { return Response::json(svc->types(caller_of(req), req.english)); });
  router.get("/api/v1/documents/subject", issue, [svc](Request& req) {
    auto no = req.query_param("student_no");
    if (!no || no->empty())
      throw errors::missing_field.with("student_no", "student_no");
    return Response::json(svc->subject(caller_of(req), *no));
  });
  router.get("/api/v1/documents/stats", Access::perm("stats.read"), [svc](Request& req) {
    return Response::json(svc->stats(caller_of(req), date_param(req, "from", false), date_param(req, "to", true)));
  });
  router.get("/api/v1/documents/{id}", Access::any_user(),
             [svc](Request& req) { return Response::json(svc->get(caller_of(req), req.param_id("id"))); });
  router.get("/api/v1/documents/{id}/pdf", Access::any_user(), [svc, &deps](Request& req) {
    std::string name;
    Response r;
    r.body = svc->pdf(caller_of(req), req.param_id("id"), base_url(deps, req), &name);
    r.content_type = "application/pdf";
    r.header("Content-Disposition", "inline; filename=\"" + name + "\"");
    r.header("Cache-Control", "no-store");
    return r;
  });
  router.post("/api/v1/documents/{id}/correct", issue, courtesy::with_blocked_details([svc](Request& req) {
                JsonFields f(req.json_body());
                CorrectInput in;
                in.reason = f.required_string("reason", 200);
                if (const json::object* fields = f.optional_object("fields")) in.fields = *fields;
                f.finish();
                return Response::json(svc->correct(caller_of(req), req.param_id("id"), in), 201);
              }));

  router.get("/api/v1/public/verify/{code}", Access::public_(), [svc](Request& req) {
    std::int64_t retry = 0;
    try {
      Response r = Response::json(svc->verify(req.params.at("code"), req.remote_address, &retry));
      r.header("Cache-Control", "no-store");
      return r;
    } catch (const ApiError& e) {
      Response r = Response::error(e, req.english);
      r.header("Cache-Control", "no-store");
      if (e.status() == 429) r.header("Retry-After", std::to_string(retry));
      return r;
    }
  });
}

}  // namespace hall::documents
