#include "http/static_files.hpp"

#include <filesystem>
#include <map>

namespace hall::http {

namespace fs = std::filesystem;

std::string mime_type(const std::string& path) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"}, {".svg", "image/svg+xml"},
      {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
      {".webp", "image/webp"}, {".ico", "image/x-icon"}, {".woff", "font/woff"}, {".woff2", "font/woff2"},
      {".ttf", "font/ttf"}, {".txt", "text/plain; charset=utf-8"}, {".pdf", "application/pdf"},
      {".map", "application/json; charset=utf-8"}, {".webmanifest", "application/manifest+json"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".csv", "text/csv; charset=utf-8"}};
  auto ext = fs::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

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
      return r;
    }
    // A missing file with an extension is a real 404, not the app shell.
    if (fs::path(req.path).has_extension() && req.path.rfind("/assets/", 0) == 0)
      return Response::error(ApiError(404, "not_found", {"找不到该文件", "File not found"}), req.english);
    fs::path index = base / "index.html";
    if (!fs::is_regular_file(index, ec))
      return Response::error(ApiError(503, "web_ui_not_built",
                                      {"网页界面尚未构建（运行 scripts/run 会自动构建）",
                                       "The web UI has not been built (scripts/run builds it)"}),
                             req.english);
    r.file_path = index.string();
    r.content_type = "text/html; charset=utf-8";
    r.header("Cache-Control", "no-cache");
    return r;
  };
}

}  // namespace hall::http
