// HTTP ↔ FeedbackService, and the WeChat official-account callback (protocol in wechat.hpp).
#include "feedback/routes.hpp"

#include <sodium.h>

#include <memory>

#include "auth/caller.hpp"
#include "auth/routes.hpp"
#include "auth/service.hpp"
#include "calendar/service.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/random.hpp"
#include "courtesy/service.hpp"
#include "db/database.hpp"
#include "feedback/errors.hpp"
#include "feedback/module.hpp"
#include "feedback/ratings.hpp"
#include "feedback/service.hpp"
#include "feedback/wechat.hpp"

namespace hall::feedback {

using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kMaxWechatBody = 64 << 10;

ApiError wechat_forbidden() { return errors::wechat_signature(); }
ApiError wechat_malformed() { return errors::wechat_malformed(); }

std::string q(const Request& req, const char* name) { return req.query_param(name).value_or(""); }

const WechatConfig& configured(Deps& deps) {
  const auto& w = deps.config.wechat;
  if (w.token.empty()) throw errors::wechat_not_configured();
  return w;
}

// The timestamp must be digits and within the configured window of now.
void check_timestamp(const std::string& ts, int window_seconds) {
  if (ts.empty() || ts.size() > 12 || ts.find_first_not_of("0123456789") != std::string::npos) throw wechat_forbidden();
  long long t = std::stoll(ts);
  long long now = Clock::now() / 1000;
  if (t < now - window_seconds || t > now + window_seconds) throw errors::wechat_stale();
}

bool same(const std::string& a, const std::string& b) { return a.size() == b.size() && secrets_equal(a, b); }

Response text(std::string body, const char* type = "text/plain; charset=utf-8") {
  Response r;
  r.content_type = type;
  r.body = std::move(body);
  return r;
}

Response wechat_get(Deps& deps, Request& req) {
  const auto& w = configured(deps);
  std::string ts = q(req, "timestamp"), nonce = q(req, "nonce"), echostr = q(req, "echostr");
  if (!same(wechat::signature({w.token, ts, nonce}), q(req, "signature"))) throw wechat_forbidden();
  return text(echostr);
}

Response wechat_post(Deps& deps, FeedbackService& svc, Request& req) {
  const auto& w = configured(deps);
  if (req.body.size() > kMaxWechatBody) throw errors::body_too_large();
  std::string ts = q(req, "timestamp"), nonce = q(req, "nonce");
  if (nonce.empty() || nonce.size() > 64) throw wechat_forbidden();
  bool aes = q(req, "encrypt_type") == "aes";
  // Plain-mode signature is sent in both modes; safe mode is checked by msg_signature.
  if (aes) {
    if (q(req, "msg_signature").empty()) throw wechat_forbidden();
  } else if (!same(wechat::signature({w.token, ts, nonce}), q(req, "signature"))) {
    throw wechat_forbidden();
  }
  check_timestamp(ts, w.timestamp_window_seconds);
  auto outer = wechat::parse_xml(req.body);
  if (!outer) throw wechat_malformed();
  std::map<std::string, std::string> msg;
  std::optional<wechat::Crypt> crypt;
  if (aes) {
    auto enc = outer->find("Encrypt");
    if (enc == outer->end() || enc->second.empty()) throw wechat_malformed();
    if (!same(wechat::signature({w.token, ts, nonce, enc->second}), q(req, "msg_signature"))) throw wechat_forbidden();
    try {
      crypt.emplace(w.encoding_aes_key);
    } catch (const std::invalid_argument&) {
      throw errors::wechat_misconfigured();
    }
    auto plain = crypt->decrypt(enc->second);
    if (!plain) throw wechat_malformed();
    if (!same(plain->app_id, w.app_id)) throw errors::wechat_app_id();
    auto inner = wechat::parse_xml(plain->message);
    if (!inner) throw wechat_malformed();
    msg = std::move(*inner);
  } else {
    msg = std::move(*outer);
  }
  if (msg["FromUserName"].empty() || msg["MsgType"].empty()) throw wechat_malformed();
  std::string reply = svc.wechat_message(msg, nonce);
  if (reply.empty()) return text("success");
  long long now_s = Clock::now() / 1000;
  std::string xml = wechat::text_reply(msg["FromUserName"], msg["ToUserName"], now_s, reply);
  if (!aes) return text(xml, "application/xml; charset=utf-8");
  std::string encrypt = crypt->encrypt(xml, w.app_id);
  std::string rts = std::to_string(now_s);
  ensure_sodium();
  std::string rnonce = std::to_string(randombytes_uniform(1000000000));
  std::string sig = wechat::signature({w.token, rts, rnonce, encrypt});
  return text(wechat::encrypted_reply(encrypt, sig, rts, rnonce), "application/xml; charset=utf-8");
}

ListFilter list_filter(const Request& req) {
  ListFilter f;
  f.status = req.query_param("status").value_or("");
  f.kind = req.query_param("kind").value_or("");
  f.category = req.query_param("category").value_or("");
  f.channel = req.query_param("channel").value_or("");
  f.deadline = req.query_param("deadline").value_or("");
  f.mine = req.query_param("mine").value_or("") == "1" || req.query_param("mine").value_or("") == "true";
  std::tie(f.page, f.page_size) = req.paging();
  return f;
}

std::optional<long long> time_param(const Request& req, const char* name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  return parse_iso8601(*v, name);
}

}  // namespace

void register_routes(http::Router& router, Deps& deps) {
  auto svc = std::make_shared<FeedbackService>(deps);
  Deps* a = &deps;
  const std::string path = deps.config.wechat.path.empty() ? "/wechat" : deps.config.wechat.path;
  http::RouteOptions machine;
  machine.csrf_exempt = true;
  machine.max_body = kMaxWechatBody;
  router.add("GET", path, Access::public_(), [a](Request& req) { return wechat_get(*a, req); }, machine);
  router.add("POST", path, Access::public_(), [a, svc](Request& req) { return wechat_post(*a, *svc, req); }, machine);

  http::RouteOptions upload;
  upload.max_body = deps.config.max_upload_bytes * 2;  // Base64 attachments
  router.post("/api/v1/public/feedback", Access::public_(),
              [svc](Request& req) { return Response::json(svc->submit_web(caller_of(req), req.json_body()), 201); },
              upload);
  // C2 tracking without login: guesses are limited per phone and per address (429 with
  // Retry-After).
  router.get("/api/v1/public/feedback/track", Access::public_(),
             auth::with_retry_after([svc](Request& req) {
               Response r = Response::json(svc->track(req.query_param("tracking_no").value_or(""),
                                                      req.query_param("phone").value_or(""),
                                                      req.remote_address));
               r.header("Cache-Control", "no-store");
               return r;
             }));
  router.post("/api/v1/public/feedback/track/accept", Access::public_(),
              auth::with_retry_after([svc](Request& req) {
                return Response::json(svc->track_act(caller_of(req), req.json_body(), true));
              }));
  router.post("/api/v1/public/feedback/track/dispute", Access::public_(),
              auth::with_retry_after([svc](Request& req) {
                return Response::json(svc->track_act(caller_of(req), req.json_body(), false));
              }));

  router.get("/api/v1/my/feedback", Access::any_user(),
             [svc](Request& req) { return Response::json(svc->my_items(caller_of(req))); });
  router.post("/api/v1/my/feedback/{id}/accept", Access::any_user(), [svc](Request& req) {
    return Response::json(svc->my_act(caller_of(req), req.param_id("id"), req.json_body(), true));
  });
  router.post("/api/v1/my/feedback/{id}/dispute", Access::any_user(), [svc](Request& req) {
    return Response::json(svc->my_act(caller_of(req), req.param_id("id"), req.json_body(), false));
  });
  router.post("/api/v1/my/wechat-binding-code", Access::any_user(),
              [svc](Request& req) { return Response::json(svc->bind_code(caller_of(req)), 201); });

  const Access handle = Access::perm("complaints.handle");
  const Access oversee = Access::perm("feedback.oversee");
  router.get("/api/v1/feedback/stats", oversee, [svc](Request& req) {
    return Response::json(svc->stats(caller_of(req), time_param(req, "from"), time_param(req, "to")));
  });
  router.get("/api/v1/feedback/staff-counts", oversee,
             [svc](Request& req) { return Response::json(svc->staff_counts(caller_of(req))); });
  router.get("/api/v1/feedback/handlers", handle,
             [svc](Request& req) { return Response::json(svc->handlers(caller_of(req))); });
  router.get("/api/v1/feedback", handle,
             [svc](Request& req) { return Response::json(svc->list(caller_of(req), list_filter(req))); });
  router.post("/api/v1/feedback", handle,
              [svc](Request& req) { return Response::json(svc->submit_staff(caller_of(req), req.json_body()), 201); },
              upload);
  router.get("/api/v1/feedback/{id}", handle,
             [svc](Request& req) { return Response::json(svc->get(caller_of(req), req.param_id("id"))); });
  router.get("/api/v1/feedback/{id}/identity", handle,
             [svc](Request& req) { return Response::json(svc->identity(caller_of(req), req.param_id("id"))); });
  router.post("/api/v1/feedback/{id}/assign", handle, [svc](Request& req) {
    JsonFields f(req.json_body());
    auto handler = f.optional_int("handler_id", 1);
    f.finish();
    return Response::json(svc->assign(caller_of(req), req.param_id("id"), handler));
  });
  router.post("/api/v1/feedback/{id}/start", handle,
              [svc](Request& req) { return Response::json(svc->start(caller_of(req), req.param_id("id"))); });
  router.post("/api/v1/feedback/{id}/answer", handle,
              courtesy::with_blocked_details([svc](Request& req) {
                JsonFields f(req.json_body());
                AnswerInput in;
                in.findings = f.required_string("findings", 2000);
                check_text(in.findings, "findings", 2000);
                in.handling = f.required_string("handling", 2000);
                check_text(in.handling, "handling", 2000);
                in.upheld = f.optional_bool("upheld");
                f.finish();
                return Response::json(svc->answer(caller_of(req), req.param_id("id"), in));
              }));
  router.post("/api/v1/feedback/{id}/close", oversee, [svc](Request& req) {
    JsonFields f(req.json_body());
    std::string note = f.optional_string("note", 500).value_or("");
    check_text(note, "note", 500, true);
    f.finish();
    return Response::json(svc->close(caller_of(req), req.param_id("id"), note));
  });
  // Ratings (B5). The pad's routes check the device kind (rating_pad bound to a window) in
  // the service: devices hold no permission in the matrix, as for kiosks and boards.
  auto ratings = std::make_shared<RatingService>(deps);
  router.get("/api/v1/rating-pad/pending", Access::any_user(),
             [ratings](Request& req) { return Response::json(ratings->pad_pending(caller_of(req))); });
  router.post("/api/v1/rating-pad/ratings", Access::any_user(), [ratings](Request& req) {
    return Response::json(ratings->submit_pad(caller_of(req), req.json_body()), 201);
  });
  router.get("/api/v1/my/ratable", Access::any_user(),
             [ratings](Request& req) { return Response::json(ratings->my_ratable(caller_of(req))); });
  router.post("/api/v1/my/ratings", Access::any_user(), [ratings](Request& req) {
    return Response::json(ratings->submit_portal(caller_of(req), req.json_body()), 201);
  });
  router.get("/api/v1/ratings/satisfaction", oversee, [ratings](Request& req) {
    return Response::json(ratings->satisfaction(caller_of(req), req.query_param("group").value_or(""),
                                                time_param(req, "from"), time_param(req, "to")));
  });
  router.get("/api/v1/ratings", Access::any_user(), [ratings](Request& req) {
    return Response::json(ratings->list(caller_of(req), req.query_int("min_level", 1, 5),
                                        req.query_param("appeal").value_or("")));
  });
  router.get("/api/v1/ratings/return-visits", oversee, [ratings](Request& req) {
    return Response::json(ratings->return_visits(caller_of(req), req.query_param("status").value_or("")));
  });
  router.post("/api/v1/ratings/return-visits/{id}/done", oversee, [ratings](Request& req) {
    JsonFields f(req.json_body());
    std::string note = f.required_string("note", 1000);
    check_text(note, "note", 1000);
    f.finish();
    return Response::json(ratings->finish_return_visit(caller_of(req), req.param_id("id"), note));
  });
  // {id}: the rating's ref as the staff member's list shows it (never the rating's id: B5 privacy).
  router.post("/api/v1/ratings/{id}/appeal", Access::any_user(), [ratings](Request& req) {
    std::string ref = req.params.at("id");
    if (ref.size() > 64) throw errors::rating_not_found();
    JsonFields f(req.json_body());
    std::string reason = f.required_string("reason", 1000);
    check_text(reason, "reason", 1000);
    f.finish();
    return Response::json(ratings->appeal(caller_of(req), ref, reason));
  });
  router.post("/api/v1/ratings/{id}/appeal-decision", oversee, [ratings](Request& req) {
    JsonFields f(req.json_body());
    bool uphold = f.required_bool("uphold");
    std::string note = f.required_string("note", 1000);
    check_text(note, "note", 1000);
    f.finish();
    return Response::json(ratings->decide_appeal(caller_of(req), req.param_id("id"), uphold, note));
  });

  router.get("/api/v1/feedback/{id}/attachments/{aid}", handle, [svc](Request& req) {
    auto [type, data] = svc->attachment(caller_of(req), req.param_id("id"), req.param_id("aid"));
    Response r;
    r.content_type = type;
    r.body = std::move(data);
    r.header("Content-Disposition", "attachment");
    r.header("X-Content-Type-Options", "nosniff");
    return r;
  });
}

}  // namespace hall::feedback
