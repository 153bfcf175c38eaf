// HTTP ↔ CaseService. Literal paths (/cases/stats, /cases/oversight,
// /cases/contacts) are registered before /cases/{id}: the router takes the first match.
#include <memory>

#include "auth/caller.hpp"
#include "calendar/service.hpp"
#include "cases/due_recompute.hpp"
#include "cases/errors.hpp"
#include "cases/inputs.hpp"
#include "cases/module.hpp"
#include "cases/routes.hpp"
#include "cases/service.hpp"
#include "cases/warnings.hpp"
#include "core/config.hpp"
#include "courtesy/service.hpp"
#include "db/database.hpp"
#include "documents/case_templates.hpp"
#include "documents/service.hpp"
#include "http/push.hpp"

namespace hall::cases {

using http::Access;
using http::Request;
using http::Response;

namespace {

json::value body_or_empty(const Request& req) {
  if (req.body.empty()) return json::object{};
  return req.json_body();
}

}  // namespace

void register_routes(http::Router& router, Deps& deps) {
  // The one-time notice and the referral slip join the document registry (idempotent).
  documents::register_case_templates();
  auto svc = std::make_shared<CaseService>(deps);
  const Access handle = Access::perm("cases.handle");
  const Access oversee = Access::perm("cases.oversee");
  const Access self = Access::perm("self.read");
  // Texts staff write to a student are courtesy-checked (B1): a refusal answers with the matches.
  auto checked = [](http::Handler h) { return courtesy::with_blocked_details(std::move(h)); };

  router.get("/api/v1/cases/stats", handle, [svc](Request& req) {
    StatsQuery q;
    q.from = req.query_param("from");
    q.to = req.query_param("to");
    q.staff_id = req.query_int("staff_id", 1, INT64_MAX);
    return Response::json(svc->stats(caller_of(req), q));
  });
  // Issue #10: due instants computed while a year had no official holiday data are
  // recomputed when its schedule is imported; the teacher sees every change here.
  deps.calendar->on_national_change(recompute_provisional_dues);
  router.get("/api/v1/cases/due-changes", oversee,
             [&deps](Request& req) { return Response::json(due_changes(deps, caller_of(req))); });
  router.get("/api/v1/cases/oversight", oversee,
             [svc](Request& req) { return Response::json(svc->oversight(caller_of(req))); });
  router.get("/api/v1/cases/contacts", handle, [svc](Request& req) {
    return Response::json(svc->contacts(caller_of(req), req.query_param("q").value_or("")));
  });
  router.get("/api/v1/cases", handle, [svc](Request& req) {
    ListQuery q;
    q.scope = req.query_param("scope").value_or("");
    q.status = req.query_param("status").value_or("");
    q.text = req.query_param("q").value_or("");
    std::tie(q.page, q.page_size) = req.paging();
    return Response::json(svc->list(caller_of(req), q));
  });
  router.post("/api/v1/cases", handle, [svc](Request& req) {
    return Response::json(svc->intake(caller_of(req), parse_intake(req.json_body())), 201);
  });
  router.get("/api/v1/my/cases", self,
             [svc](Request& req) { return Response::json(svc->mine(caller_of(req))); });
  router.post("/api/v1/my/cases", self, [svc](Request& req) {
    // Refused before the body is read: staff get 403 whatever they send, not a validation error.
    if (!req.principal.is_student()) throw errors::students_apply_online();
    return Response::json(svc->apply_online(caller_of(req), parse_apply(req.json_body())), 201);
  });

  router.get("/api/v1/cases/{id}", self, [svc](Request& req) {
    return Response::json(svc->get(caller_of(req), req.param_id("id")));
  });
  router.patch("/api/v1/cases/{id}", handle, [svc](Request& req) {
    return Response::json(
        svc->edit(caller_of(req), req.param_id("id"), parse_edit(req.json_body())));
  });
  router.post("/api/v1/cases/{id}/receive", handle, [svc](Request& req) {
    return Response::json(svc->receive(caller_of(req), req.param_id("id")));
  });
  router.post("/api/v1/cases/{id}/assign", handle, [svc](Request& req) {
    return Response::json(
        svc->assign(caller_of(req), req.param_id("id"), parse_assign(req.json_body())));
  });
  router.put("/api/v1/cases/{id}/materials", handle, checked([svc](Request& req) {
               return Response::json(
                   svc->mark(caller_of(req), req.param_id("id"), parse_marks(req.json_body())));
             }));
  router.post("/api/v1/cases/{id}/notice-preview", handle, [svc](Request& req) {
    return Response::json(
        svc->preview_notice(caller_of(req), req.param_id("id"), parse_notice(body_or_empty(req))));
  });
  router.post("/api/v1/cases/{id}/notices", handle, checked([svc](Request& req) {
                return Response::json(svc->issue_notice(caller_of(req), req.param_id("id"),
                                                        parse_notice(body_or_empty(req))),
                                      201);
              }));
  router.get("/api/v1/cases/{id}/notices/{notice_id}", self, [svc](Request& req) {
    return Response::json(
        svc->notice(caller_of(req), req.param_id("id"), req.param_id("notice_id")));
  });
  router.post("/api/v1/cases/{id}/resubmit", self, [svc](Request& req) {
    return Response::json(
        svc->resubmit(caller_of(req), req.param_id("id"), parse_resubmit(body_or_empty(req))));
  });
  router.post("/api/v1/cases/{id}/accept", handle, [svc](Request& req) {
    return Response::json(svc->accept(caller_of(req), req.param_id("id")));
  });
  router.post("/api/v1/cases/{id}/complete", handle, checked([svc](Request& req) {
                return Response::json(svc->complete(caller_of(req), req.param_id("id"),
                                                    parse_complete(body_or_empty(req))));
              }));
  router.post("/api/v1/cases/{id}/refer", handle, checked([svc](Request& req) {
                return Response::json(
                    svc->refer(caller_of(req), req.param_id("id"), parse_refer(req.json_body())));
              }));
  router.post("/api/v1/cases/{id}/unreachable", self, [svc](Request& req) {
    return Response::json(svc->unreachable(caller_of(req), req.param_id("id"),
                                           parse_unreachable(body_or_empty(req))));
  });
  router.post("/api/v1/cases/{id}/green-channel", Access::perm("green_channel.mark"),
              [svc](Request& req) {
                return Response::json(
                    svc->green(caller_of(req), req.param_id("id"), parse_green(req.json_body())));
              });

  // B6.3 warnings of the signed-in staff member (their own only: the topic is theirs, never chosen
  // by the client).
  WarningService& warnings = *deps.case_warnings;
  router.get("/api/v1/my/notifications", handle, [&warnings](Request& req) {
    WarningQuery q;
    auto unread = req.query_param("unread");
    if (unread && *unread != "0" && *unread != "1" && *unread != "true" && *unread != "false")
      throw errors::invalid_query("unread");
    q.unread_only = unread && (*unread == "1" || *unread == "true");
    std::tie(q.page, q.page_size) = req.paging();
    return Response::json(warnings.list(caller_of(req), q));
  });
  router.post("/api/v1/my/notifications/read", handle, [&warnings](Request& req) {
    return Response::json(warnings.mark_read(caller_of(req), parse_mark_read(req.json_body())));
  });
  router.get("/api/v1/my/notifications/events", handle, [&warnings, &deps](Request& req) {
    auto c = caller_of(req);
    Response r;
    // The id first, then the snapshot: a warning published in between is replayed, never lost.
    r.sse_since = deps.push.last_id();
    r.body = json::serialize(warnings.snapshot(c));
    r.sse_topics = {WarningService::topic_of(c.principal.user_id)};
    return r;
  });

  router.get("/api/v1/followups", handle, [svc](Request& req) {
    return Response::json(
        svc->followups(caller_of(req), req.query_param("scope").value_or("mine")));
  });
  router.post("/api/v1/followups/{id}/reply", handle, checked([svc](Request& req) {
                return Response::json(svc->reply_followup(caller_of(req), req.param_id("id"),
                                                          parse_followup_reply(req.json_body())));
              }));
}

}  // namespace hall::cases
