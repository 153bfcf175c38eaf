#include "http/static_files.hpp"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string_view>
#include <vector>

#include "core/errors.hpp"

namespace hall::http {

namespace fs = std::filesystem;

std::string mime_type(const std::string& path) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".pdf", "application/pdf"},
      {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".csv", "text/csv; charset=utf-8"}};
  auto ext = fs::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

double accepted_quality(const std::string& accept_encoding, std::string_view coding) {
  // "gzip, deflate, br;q=0.9, *;q=0.1": the q of the coding, else of "*", else 0.
  double named = -1, star = -1;
  std::string_view rest = accept_encoding;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    auto semi = item.find(';');
    std::string_view name = item.substr(0, semi);
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    double q = 1;
    if (semi != std::string_view::npos) {
      std::string params(item.substr(semi + 1));
      auto qpos = params.find("q=");
      if (qpos != std::string::npos) q = std::strtod(params.c_str() + qpos + 2, nullptr);
    }
    std::string lower(name);
    for (auto& c : lower) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    if (lower == coding)
      named = q;
    else if (lower == "*")
      star = q;
  }
  double q = named >= 0 ? named : star;
  return q > 0 ? q : 0;
}

namespace {

// The build writes name.br and name.gz beside each text asset (web/vite.config.js):
// send the best one the browser accepts, the file itself otherwise.
void choose_encoding(const Request& req, Response& r) {
  static const char* const kCompressible[] = {".js",   ".mjs", ".css", ".html",       ".svg",
                                              ".json", ".txt", ".map", ".webmanifest"};
  std::string ext = fs::path(r.file_path).extension().string();
  bool text = false;
  for (const char* e : kCompressible) text = text || ext == e;
  if (!text) return;
  // The answer depends on Accept-Encoding whether or not a compressed copy exists now.
  r.header("Vary", "Accept-Encoding");
  std::string accept = req.header("accept-encoding");
  if (accept.empty()) return;
  double br = accepted_quality(accept, "br"), gz = accepted_quality(accept, "gzip");
  // The preferred coding first (brotli on a tie: smaller), then the other.
  std::vector<std::pair<const char*, const char*>> order;
  if (br > 0 && br >= gz) order.push_back({"br", ".br"});
  if (gz > 0) order.push_back({"gzip", ".gz"});
  if (br > 0 && br < gz) order.push_back({"br", ".br"});
  std::error_code ec;
  for (auto [coding, suffix] : order)
    if (fs::is_regular_file(r.file_path + suffix, ec)) {
      r.file_path += suffix;
      r.header("Content-Encoding", coding);
      return;
    }
}

}  // namespace

StaticHandler make_static_handler(std::string web_root) {
  return [root = fs::path(std::move(web_root))](const Request& req) {
    std::error_code ec;
    fs::path base = fs::weakly_canonical(root, ec);
    // Resolve inside the web root only: ".." and symlinks out of it are refused.
    fs::path wanted = fs::weakly_canonical(base / fs::path(req.path).relative_path(), ec);
    auto rel = wanted.lexically_relative(base);
    bool inside = !ec && !rel.empty() && rel.native().rfind("..", 0) != 0;
    Response r;
    if (inside && fs::is_regular_file(wanted, ec)) {
      r.file_path = wanted.string();
      r.content_type = mime_type(r.file_path);
      // Vite puts a content hash in every file name under assets/.
      bool hashed = rel.begin() != rel.end() && rel.begin()->string() == "assets";
      r.header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
      choose_encoding(req, r);
      return r;
    }
    // A missing file with an extension is a real 404, not the app shell.
    if (fs::path(req.path).has_extension() && req.path.rfind("/assets/", 0) == 0)
      return Response::error(errors::not_found.with("", Text{"文件", "file"}), req.english);
    fs::path index = base / "index.html";
    if (!fs::is_regular_file(index, ec))
      return Response::error(errors::web_ui_not_built(), req.english);
    r.file_path = index.string();
    r.content_type = "text/html; charset=utf-8";
    r.header("Cache-Control", "no-cache");
    choose_encoding(req, r);
    return r;
  };
}

}  // namespace hall::http
