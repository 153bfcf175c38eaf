#include "core/config.hpp"

#include <cctype>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <toml++/toml.h>

#include <fmt/format.h>

namespace hall {

namespace {
template <typename T>
void take(const toml::table& t, const char* key, T& out) {
  if (auto v = t[key].value<T>()) out = *v;
}
void take_size(const toml::table& t, const char* key, std::size_t& out) {
  if (auto v = t[key].value<std::int64_t>()) {
    if (*v <= 0) throw std::runtime_error(fmt::format("{} must be positive", key));
    out = static_cast<std::size_t>(*v);
  }
}
}  // namespace

Config load_config_file(const std::string& path) {
  Config c;
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(fmt::format("{}:{}: {}", path, e.source().begin.line, e.description()));
  }
  static const std::set<std::string> known_sections = {"hall",   "server", "database",
                                                       "limits", "wechat", "cases"};
  for (auto&& [k, v] : root)
    if (!known_sections.count(std::string(k.str())))
      throw std::runtime_error(fmt::format("{}: unknown section [{}]", path, k.str()));
  if (auto* h = root["hall"].as_table()) {
    take(*h, "name", c.hall_name);
    take(*h, "name_en", c.hall_name_en);
    take(*h, "time_zone", c.time_zone);
    if (auto v = (*h)["utc_offset_minutes"].value<std::int64_t>()) c.utc_offset_minutes = int(*v);
    take(*h, "public_base_url", c.public_base_url);
    take(*h, "data_dir", c.data_dir);
    take(*h, "upload_dir", c.upload_dir);
  }
  if (auto* s = root["server"].as_table()) {
    take(*s, "listen", c.listen);
    take(*s, "web_root", c.web_root);
    if (auto v = (*s)["threads"].value<std::int64_t>()) c.threads = int(*v);
    if (auto v = (*s)["worker_threads"].value<std::int64_t>()) c.worker_threads = int(*v);
    if (auto v = (*s)["session_hours"].value<std::int64_t>()) c.session_hours = int(*v);
    if (auto node = (*s)["secure_cookies"]) {
      if (auto b = node.value<bool>())
        c.secure_cookies = *b;
      else if (node.value<std::string>() != std::optional<std::string>("auto"))
        throw std::runtime_error(fmt::format("{}: secure_cookies must be true, false or \"auto\"", path));
    }
    take(*s, "access_log", c.access_log);
    if (auto* tp = (*s)["trusted_proxies"].as_array()) {
      for (auto&& v : *tp) {
        auto str = v.value<std::string>();
        if (!str)
          throw std::runtime_error(
              fmt::format("{}: server.trusted_proxies must be a list of strings", path));
        c.trusted_proxies.push_back(*str);
      }
    } else if ((*s)["trusted_proxies"]) {
      throw std::runtime_error(
          fmt::format("{}: server.trusted_proxies must be a list of strings", path));
    }
  }
  if (auto* d = root["database"].as_table()) {
    take(*d, "url", c.db_url);
    if (auto v = (*d)["pool_size"].value<std::int64_t>()) c.db_pool_size = int(*v);
    if (auto v = (*d)["lease_wait_ms"].value<std::int64_t>()) c.db_lease_wait_ms = int(*v);
    if (auto v = (*d)["writer_wait_ms"].value<std::int64_t>()) c.db_writer_wait_ms = int(*v);
  }
  if (auto* l = root["limits"].as_table()) {
    take_size(*l, "max_body_bytes", c.max_body_bytes);
    take_size(*l, "max_upload_bytes", c.max_upload_bytes);
    take_size(*l, "max_header_bytes", c.max_header_bytes);
    if (auto v = (*l)["request_timeout_seconds"].value<std::int64_t>()) c.request_timeout_seconds = int(*v);
    if (auto v = (*l)["idle_timeout_seconds"].value<std::int64_t>()) c.idle_timeout_seconds = int(*v);
  }
  if (auto* k = root["cases"].as_table()) {
    if (auto v = (*k)["warning_sweep_seconds"].value<std::int64_t>())
      c.case_warning_sweep_seconds = int(*v);
  }
  if (auto* w = root["wechat"].as_table()) {
    take(*w, "path", c.wechat.path);
    take(*w, "token", c.wechat.token);
    take(*w, "encoding_aes_key", c.wechat.encoding_aes_key);
    take(*w, "app_id", c.wechat.app_id);
    if (auto v = (*w)["timestamp_window_seconds"].value<std::int64_t>()) c.wechat.timestamp_window_seconds = int(*v);
  }
  return c;
}

bool Config::cookies_secure() const {
  if (secure_cookies) return *secure_cookies;
  std::string scheme = public_base_url.substr(0, 8);
  for (auto& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return scheme == "https://";
}

std::string source_dir() {
  if (const char* env = std::getenv("HALL_SOURCE_DIR"); env && *env) return env;
#ifdef HALL_SOURCE_DIR
  return HALL_SOURCE_DIR;
#else
  return ".";
#endif
}

}  // namespace hall
