// HTTP ↔ AnnouncementService: public list/detail (no login, B6.4) and staff management.
#include "announcements/routes.hpp"

#include <memory>

#include "announcements/errors.hpp"
#include "announcements/service.hpp"
#include "announcements/module.hpp"
#include "db/database.hpp"
#include "auth/caller.hpp"

namespace hall::announcements {

using http::Access;
using http::Request;
using http::Response;

namespace {

ListQuery list_query(const Request& req, bool staff) {
  ListQuery q;
  q.hall_id = req.query_int("hall", 1, INT64_MAX);
  q.text = req.query_param("q").value_or("");
  if (staff) q.status = req.query_param("status").value_or("");
  std::tie(q.page, q.page_size) = req.paging();
  return q;
}

// The writable fields of a body, read in the order they were always checked;
// `creating` makes title/body required.
AnnouncementInput read_announcement_input(const json::value& body, bool creating) {
  AnnouncementInput in;
  JsonFields f(body);
  const json::object& raw = body.as_object();
  auto explicit_null = [&](const char* k) { return raw.contains(k) && raw.at(k).is_null(); };
  in.title = creating ? std::optional(f.required_string("title", 100)) : f.optional_string("title", 100);
  in.body = creating ? std::optional(f.required_string("body", 20000)) : f.optional_string("body", 20000);
  if (auto v = f.optional_string("format", 10)) {
    if (*v != "markdown" && *v != "text") throw errors::invalid_format.with("format", Text{"markdown 或 text", "markdown or text"});
    in.format = *v;
  }
  if (auto v = f.optional_int("hall_id", 1, INT64_MAX)) in.hall_id = std::optional<std::int64_t>(*v);
  else if (explicit_null("hall_id")) in.hall_id = std::optional<std::int64_t>();
  in.published = f.optional_bool("published");
  in.pinned = f.optional_bool("pinned");
  if (auto v = f.optional_string("publish_from", 40)) in.publish_from = std::optional<Millis>(parse_iso8601(*v, "publish_from"));
  else if (explicit_null("publish_from")) in.publish_from = std::optional<Millis>();
  if (auto v = f.optional_string("publish_until", 40))
    in.publish_until = std::optional<Millis>(parse_iso8601(*v, "publish_until"));
  else if (explicit_null("publish_until")) in.publish_until = std::optional<Millis>();
  f.finish();
  return in;
}

}  // namespace

void register_routes(http::Router& router, Deps& deps) {
  auto svc = std::make_shared<AnnouncementService>(*deps.db);

  router.get("/api/v1/public/announcements", Access::public_(), [svc](Request& req) {
    return Response::json(svc->public_list(list_query(req, false), req.english));
  });
  router.get("/api/v1/public/announcements/{id}", Access::public_(),
             [svc](Request& req) { return Response::json(svc->public_detail(req.param_id("id"))); });

  const Access write = Access::perm("announcements.write");
  router.get("/api/v1/announcements", write, [svc](Request& req) {
    return Response::json(svc->list(caller_of(req), list_query(req, true)));
  });
  router.get("/api/v1/announcements/{id}", write,
             [svc](Request& req) { return Response::json(svc->get(caller_of(req), req.param_id("id"))); });
  router.post("/api/v1/announcements", write, [svc](Request& req) {
    return Response::json(svc->create(caller_of(req), read_announcement_input(req.json_body(), true)), 201);
  });
  router.patch("/api/v1/announcements/{id}", write, [svc](Request& req) {
    return Response::json(svc->update(caller_of(req), req.param_id("id"), read_announcement_input(req.json_body(), false)));
  });
  router.del("/api/v1/announcements/{id}", write, [svc](Request& req) {
    svc->remove(caller_of(req), req.param_id("id"));
    return Response::no_content();
  });
}

}  // namespace hall::announcements
