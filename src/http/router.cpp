#include "http/router.hpp"

#include <spdlog/spdlog.h>

#include "auth/permissions.hpp"
#include "core/errors.hpp"
#include "core/random.hpp"
#include "http/security_headers.hpp"

namespace hall::http {

const char* const kSessionCookie = "hall_session";

namespace {
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}
}  // namespace

void Router::add(std::string method, std::string pattern, Access access, Handler handler,
                 RouteOptions options) {
  Route r{std::move(method), pattern, split_path(pattern),
          std::move(access), options, std::move(handler)};
  routes_.push_back(std::move(r));
}

const Route* Router::match(Request& req, int* status, std::string* allowed) const {
  // Segments of the path as views (no allocation per route tried); params are
  // filled only for the route that matches.
  std::string_view path(req.path);
  std::vector<std::string_view> segs;
  segs.reserve(8);
  for (std::size_t start = 1; start <= path.size();) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    segs.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  auto fits = [&](const Route& r) {
    if (r.segments.size() != segs.size()) return false;
    for (std::size_t i = 0; i < segs.size(); ++i) {
      const auto& p = r.segments[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        if (segs[i].empty()) return false;
      } else if (p != segs[i]) {
        return false;
      }
    }
    return true;
  };
  bool path_matched = false;
  for (const auto& r : routes_) {
    if (!fits(r)) continue;
    path_matched = true;
    if (r.method == req.method || (req.method == "HEAD" && r.method == "GET")) {
      req.params.clear();
      for (std::size_t i = 0; i < segs.size(); ++i) {
        const auto& p = r.segments[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}')
          req.params[p.substr(1, p.size() - 2)] = url_decode(segs[i], false);
      }
      req.route = r.pattern;
      return &r;
    }
    if (allowed) *allowed += (allowed->empty() ? "" : ", ") + r.method;
  }
  *status = path_matched ? 405 : 404;
  return nullptr;
}

std::string request_token(const Request& req, bool* via_cookie) {
  *via_cookie = false;
  std::string authz = req.header("authorization");
  if (authz.size() > 7 && (authz.rfind("Bearer ", 0) == 0 || authz.rfind("bearer ", 0) == 0))
    return authz.substr(7);
  std::string cookies = req.header("cookie");
  std::string key = std::string(kSessionCookie) + "=";
  std::size_t pos = 0;
  while ((pos = cookies.find(key, pos)) != std::string::npos) {
    if (pos == 0 || cookies[pos - 1] == ' ' || cookies[pos - 1] == ';') {
      std::size_t end = cookies.find(';', pos);
      *via_cookie = true;
      return cookies.substr(pos + key.size(),
                            end == std::string::npos ? std::string::npos : end - pos - key.size());
    }
    pos += key.size();
  }
  return {};
}

Dispatcher::Match Dispatcher::match(Request& req) const {
  Match m;
  m.route = router_.match(req, &m.status, &m.allowed);
  // Non-API routes (the WeChat callback) and everything under /api/ go through
  // the gate; any other GET is a file of the web UI.
  bool api_path = req.path.rfind("/api/", 0) == 0 || req.path == "/api";
  m.api = api_path || m.route || m.status == 405 || (req.method != "GET" && req.method != "HEAD");
  return m;
}

Response Dispatcher::handle(Request& req, const Match& m) const {
  Response r;
  try {
    if (client_address_) req.remote_address = client_address_(req);
    r = m.api ? handle_api(req, m) : statics_(req);
  } catch (const ApiError& e) {
    r = Response::error(e, req.english);
  } catch (const std::exception& e) {
    spdlog::error("unhandled error on {} {}: {}", req.method, req.path, e.what());
    r = Response::error(errors::internal_error(), req.english);
  }
  add_security_headers(req, m.api, r);
  return r;
}

Response Dispatcher::handle_api(Request& req, const Match& m) const {
  try {
    const Route* route = m.route;
    if (!route) {
      if (m.status == 405) {
        Response r = Response::error(errors::method_not_allowed(), req.english);
        r.header("Allow", m.allowed);
        return r;
      }
      throw errors::not_found.with("", Text{"接口", "endpoint"});
    }
    std::size_t limit = route->options.max_body ? route->options.max_body : max_json_body_;
    if (req.body.size() > limit) throw errors::payload_too_large.with("", limit);

    bool via_cookie = false;
    std::string token = request_token(req, &via_cookie);
    if (!token.empty()) req.principal = auth_(token, via_cookie);
    bool presented_invalid = !token.empty() && req.principal.is_anonymous();

    if (route->access.kind != Access::everyone) {
      if (req.principal.is_anonymous()) {
        if (presented_invalid) throw errors::session_expired();
        throw errors::unauthenticated();
      }
    }
    // CSRF: a cookie is sent by the browser on any site's request, so cookie
    // sessions must prove the request came from our page (header token).
    bool unsafe = req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS";
    if (unsafe && req.principal.via_cookie && !route->options.csrf_exempt) {
      if (!secrets_equal(req.header("x-csrf-token"), req.principal.csrf_token))
        throw errors::csrf_failed();
    }
    if (route->access.kind == Access::permission &&
        !auth::has_permission(req.principal, route->access.name))
      throw forbidden();
    return route->handler(req);
  } catch (const ApiError& e) {
    return Response::error(e, req.english);
  }
}

}  // namespace hall::http
