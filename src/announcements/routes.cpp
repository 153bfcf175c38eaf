// HTTP ↔ AnnouncementService: public list/detail (no login, B6.4) and staff management.
#include "announcements/routes.hpp"

#include <memory>

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
    return Response::json(svc->create(caller_of(req), req.json_body()), 201);
  });
  router.patch("/api/v1/announcements/{id}", write, [svc](Request& req) {
    return Response::json(svc->update(caller_of(req), req.param_id("id"), req.json_body()));
  });
  router.del("/api/v1/announcements/{id}", write, [svc](Request& req) {
    svc->remove(caller_of(req), req.param_id("id"));
    return Response::no_content();
  });
}

}  // namespace hall::announcements
