#include "http/request.hpp"

#include <fmt/format.h>

#include <charconv>

#include "core/errors.hpp"

namespace hall::http {

std::string Request::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> Request::query_param(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  check_text(it->second, name, 500, true);
  return it->second;
}

std::optional<std::int64_t> Request::query_int(const std::string& name, std::int64_t min,
                                               std::int64_t max) const {
  auto v = query_param(name);
  if (!v || v->empty()) return std::nullopt;
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size())
    throw errors::wrong_type.with(name, Text{"参数 " + name, "Parameter " + name},
                                  Text{"整数", "an integer"});
  if (n < min || n > max)
    throw errors::out_of_range.with(name, Text{"参数 " + name, "Parameter " + name}, min, max);
  return n;
}

std::int64_t Request::param_id(const std::string& name) const {
  auto it = params.find(name);
  std::int64_t n = 0;
  if (it != params.end()) {
    auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), n);
    if (ec == std::errc() && p == it->second.data() + it->second.size() && n > 0) return n;
  }
  throw errors::not_found.with("", Text{"记录", "record"});
}

json::value Request::json_body() const {
  std::string ct = header("content-type");
  auto semi = ct.find(';');
  std::string mime = ct.substr(0, semi);
  while (!mime.empty() && mime.back() == ' ') mime.pop_back();
  for (auto& c : mime) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  if (mime != "application/json") throw errors::unsupported_media_type();
  return parse_json_body(body);
}

std::pair<int, int> Request::paging() const {
  int page = static_cast<int>(query_int("page", 1, 1000000).value_or(1));
  int size = static_cast<int>(query_int("page_size", 1, 200).value_or(20));
  return {page, size};
}

Response Response::json(const json::value& v, int status) {
  Response r;
  r.status = status;
  r.body = json::serialize(v);
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Response::error(const ApiError& e, bool english) {
  json::object err{{"code", e.code()}, {"message", e.message().in(english)}};
  if (!e.field().empty()) err["field"] = e.field();
  Response r = json(json::object{{"error", err}}, e.status());
  // 503 server_busy: the database could not be had in time; a client (and a
  // load balancer) may try again shortly.
  if (e.status() == 503) r.header("Retry-After", "1");
  return r;
}

bool prefers_english(const std::string& header) {
  double best_en = -1, best_zh = -1;
  std::size_t pos = 0, index = 0;
  while (pos <= header.size()) {
    std::size_t comma = header.find(',', pos);
    std::string part =
        header.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? header.size() + 1 : comma + 1;
    std::string tag = part.substr(0, part.find(';'));
    tag.erase(0, tag.find_first_not_of(' '));
    while (!tag.empty() && tag.back() == ' ') tag.pop_back();
    for (auto& c : tag) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    double q = 1.0 - 0.001 * static_cast<double>(index++);  // earlier wins among equals
    if (auto qp = part.find("q="); qp != std::string::npos) q = std::atof(part.c_str() + qp + 2);
    if (tag.rfind("en", 0) == 0) best_en = std::max(best_en, q);
    if (tag.rfind("zh", 0) == 0) best_zh = std::max(best_zh, q);
  }
  return best_en > best_zh;
}

std::string url_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size() + 0 && i + 2 <= s.size() - 1 + 0 &&
        isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace hall::http
