// HTTP ↔ CourtesyService (B1, B6.1).
#include "courtesy/errors.hpp"
#include "core/errors.hpp"
#include "courtesy/routes.hpp"

#include "courtesy/service.hpp"
#include "courtesy/module.hpp"
#include "auth/caller.hpp"

namespace hall::courtesy {

using http::Access;
using http::Request;
using http::Response;

namespace {

std::optional<std::int64_t> date_param(const Request& req, const std::string& name, bool end_of_day) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  // Dates are the hall's local dates (UTC+8).
  Millis t = parse_iso8601(*v + "T00:00:00+08:00", name);
  return end_of_day ? t + 24LL * 3600 * 1000 : t;
}

// A phrase's fields from a request body; `creating` makes label, pattern and
// suggestion required. clause and note may be cleared with "" or null.
PhraseInput read_phrase(const json::value& body_in, bool creating) {
  json::value body = body_in;
  bool clear_clause = false, clear_note = false;
  if (body.is_object()) {
    for (auto [key, flag] : {std::pair{"clause", &clear_clause}, std::pair{"note", &clear_note}}) {
      json::value* v = body.as_object().if_contains(key);
      if (v && (v->is_null() || (v->is_string() && v->as_string().empty()))) {
        *flag = true;
        *v = nullptr;
      }
    }
  }
  JsonFields f(body);
  PhraseInput in;
  auto str = [&](const char* key, std::size_t max, bool required) {
    return required ? std::optional(f.required_string(key, max)) : f.optional_string(key, max);
  };
  in.label = str("label", 60, creating);
  in.pattern = str("pattern", 200, creating);
  in.suggestion = str("suggestion", 200, creating);
  in.clause = f.optional_string("clause", 20);
  if (clear_clause) in.clause = "";
  in.note = f.optional_string("note", 500);
  if (clear_note) in.note = "";
  in.active = f.optional_bool("active");
  f.finish();
  return in;
}

}  // namespace

void register_routes(http::Router& router, Deps& deps) {
  CourtesyService* svc = deps.courtesy;

  router.post("/api/v1/courtesy/check", Access::perm("courtesy.check"), [svc](Request& req) {
    JsonFields f(req.json_body());
    std::string text = f.required_string("text", 5000);
    std::string context = f.optional_string("context", 100).value_or("");
    bool attempt = f.optional_bool("attempt").value_or(false);
    f.finish();
    CheckResult r = svc->check(caller_of(req), text, context, attempt);
    json::object out = to_json(r);
    out["recorded"] = !r.ok && attempt;
    return Response::json(out);
  });

  router.get("/api/v1/courtesy/phrases", Access::perm("courtesy.check"), [svc](Request& req) {
    PhraseQuery q;
    q.text = req.query_param("q").value_or("");
    if (auto a = req.query_param("active"); a && !a->empty()) {
      if (*a != "true" && *a != "false")
        throw hall::errors::wrong_type.with("active", Text{"参数 active", "Parameter active"}, Text{"true 或 false", "true or false"});
      q.active = *a == "true";
    }
    return Response::json(svc->list_phrases(caller_of(req), q));
  });
  router.post("/api/v1/courtesy/phrases", Access::perm("courtesy.manage"), [svc](Request& req) {
    return Response::json(svc->create_phrase(caller_of(req), read_phrase(req.json_body(), true)), 201);
  });
  router.patch("/api/v1/courtesy/phrases/{id}", Access::perm("courtesy.manage"), [svc](Request& req) {
    return Response::json(svc->update_phrase(caller_of(req), req.param_id("id"), read_phrase(req.json_body(), false)));
  });
  router.del("/api/v1/courtesy/phrases/{id}", Access::perm("courtesy.manage"), [svc](Request& req) {
    svc->delete_phrase(caller_of(req), req.param_id("id"));
    return Response::no_content();
  });
  router.post("/api/v1/courtesy/try", Access::perm("courtesy.manage"),
              [svc](Request& req) {
                JsonFields f(req.json_body());
                std::string pattern = f.required_string("pattern", 200);
                std::string text = f.required_string("text", 5000);
                f.finish();
                return Response::json(svc->try_pattern(caller_of(req), pattern, text));
              });

  router.get("/api/v1/courtesy/attempts", Access::perm("courtesy.review"), [svc](Request& req) {
    AttemptQuery q;
    q.user_id = req.query_int("user_id", 1, INT64_MAX);
    q.login = req.query_param("login").value_or("");
    q.context = req.query_param("context").value_or("");
    q.source = req.query_param("source").value_or("");
    if (!q.source.empty() && q.source != "check" && q.source != "enforce")
      throw errors::invalid_source.with("source", "check 或 enforce", "check or enforce");
    q.text = req.query_param("q").value_or("");
    q.from_ms = date_param(req, "from", false);
    q.to_ms = date_param(req, "to", true);
    std::tie(q.page, q.page_size) = req.paging();
    return Response::json(svc->list_attempts(caller_of(req), q));
  });
}

}  // namespace hall::courtesy
