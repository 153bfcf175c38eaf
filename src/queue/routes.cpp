// HTTP ↔ QueueService, exactly as docs/queue-contract.md describes the API.
// Route access here is the first gate (http/router.cpp); record-level rules
// (own tickets, own unit's windows, the board's own hall) are in the service.
// Device endpoints check the device kind (docs/permissions.md: devices hold no
// general permission).
#include "queue/routes.hpp"

#include <fmt/format.h>

#include "auth/permissions.hpp"
#include "calendar/model.hpp"
#include "queue/errors.hpp"
#include "queue/service.hpp"
#include "queue/module.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/push.hpp"
#include "calendar/service.hpp"
#include "auth/caller.hpp"

namespace hall::queue {

using http::Access;
using http::Request;
using http::Response;

namespace {

json::value body_or_empty(const Request& req) {
  if (req.body.empty()) return json::object{};
  return req.json_body();
}

// The absolute base of links in QR codes: the configured public URL, or the request's Host.
std::string public_base(const Deps& deps, const Request& req) {
  std::string base = deps.config.public_base_url;
  if (base.empty()) {
    std::string host = req.header("host");
    bool ok = !host.empty() && host.size() <= 255;
    for (char ch : host)
      if (!(isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']'))
        ok = false;
    if (!ok) host = "localhost";
    std::string proto = req.header("x-forwarded-proto") == "https" ? "https" : "http";
    base = proto + "://" + host;
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

Response sse(Deps& deps, const std::string& topic, const std::function<json::object()>& snapshot) {
  Response r;
  // The id first, then the snapshot: an event published in between is replayed, never lost.
  r.sse_since = deps.push.last_id();
  r.body = json::serialize(snapshot());
  r.sse_topics = {topic};
  return r;
}

}  // namespace

void register_routes(http::Router& router, Deps& deps) {
  QueueService& q = *deps.queue;

  // ---- tickets ---------------------------------------------------------------
  router.post("/api/v1/tickets", Access::any_user(), [&q](Request& req) {
    JsonFields f(req.json_body());
    std::int64_t item_id = f.required_int("item_id", 1, INT64_MAX);
    auto student_no = f.optional_string("student_no", 32);
    f.finish();
    auto r = q.take(caller_of(req), item_id, student_no, req.header("idempotency-key"));
    return Response::json(r.ticket, r.created ? 201 : 200);
  });
  router.get("/api/v1/tickets/mine", Access::any_user(), [&q](Request& req) { return Response::json(q.mine(caller_of(req))); });
  router.get("/api/v1/tickets", Access::perm("queue.operate"), [&q](Request& req) {
    TicketListQuery lq;
    lq.hall_id = req.query_int("hall_id", 1, INT64_MAX);
    lq.window_id = req.query_int("window_id", 1, INT64_MAX);
    lq.status = req.query_param("status").value_or("");
    lq.date = req.query_param("date").value_or("");
    if (!lq.date.empty()) lq.date = calendar::Date::parse(lq.date, "date").to_string();
    std::tie(lq.page, lq.page_size) = req.paging();
    return Response::json(q.list(caller_of(req), lq));
  });
  router.get("/api/v1/tickets/{id}", Access::any_user(),
             [&q](Request& req) { return Response::json(q.ticket(caller_of(req), req.param_id("id"))); });
  router.post("/api/v1/tickets/{id}/cancel", Access::any_user(),
              [&q](Request& req) { return Response::json(q.cancel(caller_of(req), req.param_id("id"))); });
  router.post("/api/v1/tickets/{id}/green-channel", Access::perm("green_channel.mark"), [&q](Request& req) {
    JsonFields f(req.json_body());
    std::string code = f.required_string("reason_code", 40);
    std::string text = f.optional_string("reason_text", 200).value_or("");
    f.finish();
    check_text(text, "reason_text", 200, true);
    return Response::json(q.mark_green(caller_of(req), req.param_id("id"), code, text));
  });
  router.get("/api/v1/queue/green-reasons", Access::any_user(),
             [&q](Request& req) { return Response::json(q.green_reasons(req.english)); });

  router.post("/api/v1/tickets/{id}/start", Access::perm("queue.operate"),
              [&q](Request& req) { return Response::json(q.start(caller_of(req), req.param_id("id"))); });
  router.post("/api/v1/tickets/{id}/finish", Access::perm("queue.operate"), [&q](Request& req) {
    JsonFields f(req.json_body());
    std::string outcome = f.required_string("outcome", 40);
    std::string note = f.optional_string("note", 500).value_or("");
    f.finish();
    check_text(note, "note", 500, true);
    return Response::json(q.finish(caller_of(req), req.param_id("id"), outcome, note));
  });
  router.post("/api/v1/tickets/{id}/no-show", Access::perm("queue.operate"),
              [&q](Request& req) { return Response::json(q.no_show(caller_of(req), req.param_id("id"))); });
  router.post("/api/v1/tickets/{id}/rejoin", Access::perm("queue.operate"),
              [&q](Request& req) { return Response::json(q.rejoin(caller_of(req), req.param_id("id"))); });
  router.post("/api/v1/tickets/{id}/transfer", Access::perm("queue.operate"), [&q](Request& req) {
    JsonFields f(req.json_body());
    auto window_id = f.optional_int("window_id", 1, INT64_MAX);
    auto item_id = f.optional_int("item_id", 1, INT64_MAX);
    f.finish();
    return Response::json(q.transfer(caller_of(req), req.param_id("id"), window_id, item_id));
  });

  // ---- public status (no login; the unguessable token is the key) -------------
  router.get("/api/v1/public/tickets/{token}", Access::public_(), [&q](Request& req) {
    Response r = Response::json(q.public_status(req.params.at("token"), req.english));
    r.header("Cache-Control", "no-store");
    return r;
  });
  router.get("/api/v1/public/tickets/{token}/events", Access::public_(), [&q, &deps](Request& req) {
    std::string token = q.status_token_exists(req.params.at("token"));
    bool en = req.english;
    return sse(deps, "ticket:" + token, [&] { return q.public_status(token, en); });
  });
  router.get("/api/v1/public/tickets/{token}/qr.svg", Access::public_(), [&q, &deps](Request& req) {
    std::string token = q.status_token_exists(req.params.at("token"));
    Response r;
    r.content_type = "image/svg+xml";
    r.body = qr_svg(public_base(deps, req) + "/t/" + token);
    r.header("Cache-Control", "private, max-age=86400");
    return r;
  });

  // ---- windows (staff console) -------------------------------------------------
  router.get("/api/v1/windows/mine", Access::perm("queue.operate"), [&q](Request& req) {
    return Response::json(q.my_windows(caller_of(req), req.query_int("hall_id", 1, INT64_MAX)));
  });
  router.get("/api/v1/windows/{id}/console", Access::perm("queue.operate"),
             [&q](Request& req) { return Response::json(q.console(caller_of(req), req.param_id("id"))); });
  router.get("/api/v1/windows/{id}/events", Access::perm("queue.operate"), [&q, &deps](Request& req) {
    auto c = caller_of(req);
    std::int64_t id = req.param_id("id");
    q.check_window_access(c, id);
    return sse(deps, fmt::format("window:{}", id), [&] { return q.console(c, id); });
  });
  router.post("/api/v1/windows/{id}/session", Access::perm("queue.operate"),
              [&q](Request& req) { return Response::json(q.open_session(caller_of(req), req.param_id("id")), 201); });
  router.del("/api/v1/windows/{id}/session", Access::perm("queue.operate"), [&q](Request& req) {
    q.close_session(caller_of(req), req.param_id("id"));
    return Response::no_content();
  });
  router.post("/api/v1/windows/{id}/pause", Access::perm("queue.operate"), [&q](Request& req) {
    JsonFields f(req.json_body());
    std::string reason = f.required_string("reason", 100);
    f.finish();
    check_text(reason, "reason", 100);
    return Response::json(q.pause(caller_of(req), req.param_id("id"), reason));
  });
  router.post("/api/v1/windows/{id}/resume", Access::perm("queue.operate"),
              [&q](Request& req) { return Response::json(q.resume(caller_of(req), req.param_id("id"))); });
  router.post("/api/v1/windows/{id}/call-next", Access::perm("queue.operate"),
              [&q](Request& req) { return Response::json(q.call_next(caller_of(req), req.param_id("id"))); });
  router.post("/api/v1/windows/{id}/recall", Access::perm("queue.operate"),
              [&q](Request& req) { return Response::json(q.recall(caller_of(req), req.param_id("id"))); });

  // ---- boards ------------------------------------------------------------------
  router.get("/api/v1/halls/{id}/board", Access::any_user(),
             [&q](Request& req) { return Response::json(q.board(caller_of(req), req.param_id("id"))); });
  router.get("/api/v1/halls/{id}/board/events", Access::any_user(), [&q, &deps](Request& req) {
    auto c = caller_of(req);
    std::int64_t id = req.param_id("id");
    q.check_board_access(c, id);
    return sse(deps, fmt::format("hall:{}", id), [&] { return q.board(c, id); });
  });

  // ---- appointments (预约) ---------------------------------------------------------
  router.get("/api/v1/appointments/slots", Access::any_user(), [&q](Request& req) {
    auto item = req.query_int("item_id", 1, INT64_MAX);
    if (!item) throw errors::missing_parameter.with("item_id", "item_id");
    auto date = req.query_param("date");
    if (!date || date->empty()) throw errors::missing_parameter.with("date", "date");
    return Response::json(q.slots(*item, *date));
  });
  router.post("/api/v1/appointments", Access::any_user(), [&q](Request& req) {
    JsonFields f(req.json_body());
    std::int64_t item_id = f.required_int("item_id", 1, INT64_MAX);
    std::string slot = f.required_string("slot_start", 40);
    f.finish();
    return Response::json(q.book(caller_of(req), item_id, slot), 201);
  });
  router.get("/api/v1/appointments/mine", Access::any_user(),
             [&q](Request& req) { return Response::json(q.my_appointments(caller_of(req))); });
  router.post("/api/v1/appointments/{id}/cancel", Access::any_user(),
              [&q](Request& req) { return Response::json(q.cancel_appointment(caller_of(req), req.param_id("id"))); });
  router.post("/api/v1/appointments/{id}/check-in", Access::any_user(), [&q](Request& req) {
    JsonFields f(body_or_empty(req));
    auto student_no = f.optional_string("student_no", 32);
    f.finish();
    return Response::json(q.check_in(caller_of(req), req.param_id("id"), student_no), 201);
  });
}

}  // namespace hall::queue
