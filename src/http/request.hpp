// The HTTP request and response as the rest of Hall sees them: plain structs,
// free of Boost.Beast (which lives in server.cpp only, to keep builds fast).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/principal.hpp"
#include "core/error.hpp"
#include "core/json.hpp"

namespace hall::http {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string target;  // as received: path and query
  std::string path;    // decoded path without the query
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::map<std::string, std::string> params;  // from the route pattern, e.g. {id}
  std::string remote_address;
  std::string route;  // the matched pattern, for metrics and logs
  bool english = false;
  auth::Principal principal;

  std::string header(const std::string& lower_name) const;
  std::optional<std::string> query_param(const std::string& name) const;
  // Query parameters that must be integers / dates; 400 naming the parameter otherwise.
  std::optional<std::int64_t> query_int(const std::string& name, std::int64_t min, std::int64_t max) const;
  std::int64_t param_id(const std::string& name) const;  // a positive id from the path, 404 otherwise
  // Parses the body as JSON (415 unless Content-Type is application/json).
  json::value json_body() const;
  const std::string& text(const Text& t) const { return t.in(english); }
  // Paging: page (1-based) and page_size (1..200, default 20).
  std::pair<int, int> paging() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string file_path;  // when set, the server streams this file as the body
  // Server-Sent Events: when topics are set, the connection becomes an event
  // stream: `body` (if any) is sent first as a "snapshot" event, then every
  // event published on the topics after `sse_since` (or the client's
  // Last-Event-ID), until the client goes away or the server stops.
  std::vector<std::string> sse_topics;
  std::uint64_t sse_since = 0;

  static Response json(const json::value& v, int status = 200);
  static Response no_content();
  static Response error(const ApiError& e, bool english);
  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// The preferred language from Accept-Language: English only when it ranks en
// above zh; Chinese (zh-CN) is the default.
bool prefers_english(const std::string& accept_language);

std::string url_decode(std::string_view s, bool plus_as_space);

}  // namespace hall::http
