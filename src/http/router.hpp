// Routes of the JSON API and the dispatcher that applies, for every request,
// the same gatekeeping: route match (404/405), body size (413), authentication
// (401), CSRF for cookie sessions (403), permission (403), then the handler,
// whose ApiErrors become {"error":{…}} responses in the caller's language.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace hall::http {

using Handler = std::function<Response(Request&)>;

// Who may call a route: everyone, any signed-in person or device, or holders of a permission.
struct Access {
  enum Kind { everyone, signed_in, permission } kind = permission;
  std::string name;  // the permission (auth/permissions.cpp)
  static Access public_() { return {everyone, {}}; }
  static Access any_user() { return {signed_in, {}}; }
  static Access perm(std::string p) { return {permission, std::move(p)}; }
};

struct RouteOptions {
  std::size_t max_body = 0;  // 0: the configured JSON body limit
  bool csrf_exempt = false;  // only for login (no session yet) and machine protocols
  // Runs on the I/O thread instead of the worker pool, saving two thread
  // hand-offs per request: only for handlers that do not block (no database,
  // or only on a cache miss, e.g. GET /healthz, /metrics, /auth/me).
  bool light = false;
};

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/users/{id}"
  std::vector<std::string> segments;
  Access access;
  RouteOptions options;
  Handler handler;
};

// Resolves a bearer token or session cookie to a principal; anonymous when unknown or expired.
using Authenticator = std::function<auth::Principal(const std::string& token, bool via_cookie)>;
// The response for a path outside /api/ (static files of the web UI).
using StaticHandler = std::function<Response(const Request&)>;

class Router {
 public:
  void add(std::string method, std::string pattern, Access access, Handler handler, RouteOptions options = {});
  void get(std::string p, Access a, Handler h, RouteOptions o = {}) {
    add("GET", std::move(p), std::move(a), std::move(h), o);
  }
  void post(std::string p, Access a, Handler h, RouteOptions o = {}) {
    add("POST", std::move(p), std::move(a), std::move(h), o);
  }
  void put(std::string p, Access a, Handler h, RouteOptions o = {}) {
    add("PUT", std::move(p), std::move(a), std::move(h), o);
  }
  void patch(std::string p, Access a, Handler h) { add("PATCH", std::move(p), std::move(a), std::move(h)); }
  void del(std::string p, Access a, Handler h) { add("DELETE", std::move(p), std::move(a), std::move(h)); }

  const std::vector<Route>& routes() const { return routes_; }

  // Finds the route; fills req.params and req.route. nullptr with *status 404 or 405.
  const Route* match(Request& req, int* status, std::string* allowed) const;

 private:
  std::vector<Route> routes_;
};

class Dispatcher {
 public:
  Dispatcher(Router& router, Authenticator auth, StaticHandler statics, std::size_t max_json_body)
      : router_(router), auth_(std::move(auth)), statics_(std::move(statics)), max_json_body_(max_json_body) {}

  // Where a request goes: a route (or 404/405 under the API), or a static file.
  struct Match {
    const Route* route = nullptr;
    int status = 0;  // 404 or 405 when route is null
    std::string allowed;
    bool api = true;  // false: a file of the web UI
    // Runs on the I/O thread: light routes, refusals and static files.
    bool light() const { return !api || !route || route->options.light; }
  };
  Match match(Request& req) const;

  // Never throw: every failure becomes an error response.
  Response handle(Request& req) const { return handle(req, match(req)); }
  Response handle(Request& req, const Match& m) const;
  // Who the client is (req.remote_address) when the peer is a trusted proxy
  // (http/client_address.hpp); unset: the peer itself.
  void set_client_address(std::function<std::string(const Request&)> f) { client_address_ = std::move(f); }

 private:
  Response handle_api(Request& req, const Match& m) const;
  Router& router_;
  Authenticator auth_;
  StaticHandler statics_;
  std::size_t max_json_body_;
  std::function<std::string(const Request&)> client_address_;
};

// The session token of a request: "Authorization: Bearer …" or the hall_session cookie.
std::string request_token(const Request& req, bool* via_cookie);
extern const char* const kSessionCookie;

}  // namespace hall::http
