#include "auth/routes.hpp"

#include <fmt/format.h>

#include "auth/audit.hpp"
#include "auth/caller.hpp"
#include "auth/errors.hpp"
#include "auth/module.hpp"
#include "auth/permissions.hpp"
#include "auth/service.hpp"
#include "auth/store.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "db/database.hpp"

namespace hall::auth {

using http::Access;
using http::Request;
using http::Response;

namespace {

std::string session_cookie(const std::string& token, std::int64_t max_age_s, bool secure) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}", http::kSessionCookie, token, max_age_s,
                     secure ? "; Secure" : "");
}

json::array permissions_json(const std::string& role) {
  json::array a;
  if (const RoleInfo* r = find_role(role))
    for (const auto& p : r->permissions) a.push_back(json::string(p));
  return a;
}

std::optional<std::int64_t> date_param(const Request& req, const std::string& name, bool end_of_day) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  // Dates are the hall's local dates (UTC+8).
  Millis t = parse_iso8601(*v + "T00:00:00+08:00", name);
  return end_of_day ? t + 24LL * 3600 * 1000 : t;
}

// GET /auth/me's answer for a signed-in person or device (also GET /auth/session's).
Response me_answer(Deps& deps, const Request& req) {
  const Principal& p = req.principal;
  std::string key = p.is_device() ? "d" + std::to_string(p.device_id)
                                  : "s" + std::to_string(p.session_id) + (p.via_cookie ? "c" : "b");
  auto answer = [](std::string body) {
    Response r;
    r.body = std::move(body);
    r.header("Cache-Control", "no-store");
    return r;
  };
  if (auto body = deps.auth->cached_me(key)) return answer(std::move(*body));
  json::object out;
  out["signed_in"] = true;
  if (p.is_device()) {
    out["user"] = nullptr;
    out["device"] =
        json::object{{"id", p.device_id},
                     {"kind", p.role},
                     {"name", p.name},
                     {"hall_id", p.hall_id},
                     {"window_id", p.window_id ? json::value(p.window_id) : json::value(nullptr)}};
  } else {
    auto u = deps.auth->cached_user(p.user_id);
    if (!u) throw errors::session_expired();
    out["user"] = to_json(*u);
    out["device"] = nullptr;
  }
  out["permissions"] = permissions_json(p.role);
  out["csrf_token"] = p.via_cookie ? json::value(p.csrf_token) : json::value(nullptr);
  out["hall"] = deps.auth->cached_hall();
  std::string body = json::serialize(out);
  deps.auth->remember_me(key, p.user_id, body);
  return answer(std::move(body));
}

Response signed_out(Deps& deps) {
  Response r = Response::json(json::object{{"signed_in", false},
                                           {"user", nullptr},
                                           {"device", nullptr},
                                           {"permissions", json::array()},
                                           {"csrf_token", nullptr},
                                           {"hall", deps.auth->cached_hall()}});
  r.header("Cache-Control", "no-store");
  return r;
}

}  // namespace

http::Handler with_retry_after(http::Handler h) {
  return [h = std::move(h)](Request& req) {
    try {
      return h(req);
    } catch (const TooManyAttempts& e) {
      Response resp = Response::error(e, req.english);
      resp.header("Retry-After", std::to_string(e.retry_after));
      return resp;
    }
  };
}

void register_routes(http::Router& router, Deps& deps) {
  router.post(
      "/api/v1/auth/login", Access::public_(),
      [&deps](Request& req) {
        JsonFields f(req.json_body());
        std::string login = f.required_string("login", 64);
        std::string password = f.required_string("password", 128);
        f.finish();
        try {
          LoginResult r = deps.auth->login(login, password, caller_of(req), req.header("user-agent"));
          json::object user = to_json(r.user);
          Response resp = Response::json(json::object{{"token", r.token},
                                                      {"csrf_token", r.csrf_token},
                                                      {"expires_at", iso8601_utc(r.expires_at)},
                                                      {"user", user},
                                                      {"permissions", permissions_json(r.user.role)}});
          resp.header("Set-Cookie", session_cookie(r.token, deps.config.session_hours * 3600LL, deps.config.cookies_secure()));
          resp.header("Cache-Control", "no-store");
          return resp;
        } catch (const TooManyAttempts& e) {
          Response resp = Response::error(e, req.english);
          resp.header("Retry-After", std::to_string(e.retry_after));
          return resp;
        }
      },
      {.max_body = 4096, .csrf_exempt = true});

  router.post("/api/v1/auth/logout", Access::any_user(), [&deps](Request& req) {
    deps.auth->logout(caller_of(req));
    Response r = Response::no_content();
    r.header("Set-Cookie", session_cookie("", 0, deps.config.cookies_secure()));
    return r;
  });

  // Light: served from the session and profile caches on the I/O thread.
  router.get("/api/v1/auth/me", Access::any_user(),
             [&deps](Request& req) { return me_answer(deps, req); }, {.light = true});

  // The same for pages that work with or without signing in: 200 with
  // signed_in false instead of a 401 (which browsers log as an error on every
  // anonymous page), e.g. a public page asking whether to show the user menu.
  router.get("/api/v1/auth/session", Access::public_(),
             [&deps](Request& req) {
               if (req.principal.is_anonymous()) return signed_out(deps);
               try {
                 return me_answer(deps, req);
               } catch (const ApiError& e) {
                 if (e.status() != 401) throw;
                 return signed_out(deps);
               }
             },
             {.light = true});

  router.post("/api/v1/auth/password", Access::perm("self.write"),
              with_retry_after([&deps](Request& req) {
                JsonFields f(req.json_body());
                std::string old_pw = f.required_string("old_password", 128);
                std::string new_pw = f.required_string("new_password", 128);
                f.finish();
                deps.auth->change_password(caller_of(req), old_pw, new_pw);
                return Response::no_content();
              }));

  router.get("/api/v1/roles", Access::perm("roles.read"), [](Request& req) {
    json::array items;
    for (const auto& r : roles()) {
      json::array perms;
      for (const auto& p : r.permissions) perms.push_back(json::string(p));
      items.push_back(json::object{{"role", r.role}, {"name", r.name.in(req.english)}, {"device", r.device},
                                   {"permissions", perms}});
    }
    json::array catalog;
    for (const auto& [name, text] : permission_catalog())
      catalog.push_back(json::object{{"permission", name}, {"description", text.in(req.english)}});
    return Response::json(json::object{{"items", items}, {"permissions", catalog}});
  });

  router.get("/api/v1/audit", Access::perm("audit.read"), [&deps](Request& req) {
    AuditQuery q;
    q.actor_id = req.query_int("actor_id", 1, INT64_MAX);
    q.actor_login = req.query_param("actor").value_or("");
    q.action = req.query_param("action").value_or("");
    q.target_type = req.query_param("target_type").value_or("");
    q.target_id = req.query_param("target_id").value_or("");
    q.text = req.query_param("q").value_or("");
    q.from_ms = date_param(req, "from", false);
    q.to_ms = date_param(req, "to", true);
    std::tie(q.page, q.page_size) = req.paging();
    return Response::json(deps.db->read([&](soci::session& s) { return search_audit(s, q); }));
  });
}

}  // namespace hall::auth
