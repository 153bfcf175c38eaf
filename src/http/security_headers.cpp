#include "http/security_headers.hpp"

#include <cctype>
#include <string_view>

namespace hall::http {

const char* const kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; "
    // Browsers without style-src-elem/-attr (CSP level 3) fall back to style-src.
    "style-src 'self' 'unsafe-inline'; style-src-elem 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-src 'self'";

namespace {

bool has_header(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < k.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(k[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    if (same) return true;
  }
  return false;
}

}  // namespace

void add_security_headers(const Request& req, bool api, Response& r) {
  r.header("Referrer-Policy", "no-referrer");
  if (r.content_type.rfind("text/html", 0) == 0) {
    // The kiosk prints a ticket by loading /print/ticket/<token> into its own
    // hidden iframe; that page alone may be framed, and only by this origin.
    bool print_page = req.path.rfind("/print/", 0) == 0;
    r.header("Content-Security-Policy",
             std::string(kContentSecurityPolicy) +
                 (print_page ? "; frame-ancestors 'self'" : "; frame-ancestors 'none'"));
    r.header("X-Frame-Options", print_page ? "SAMEORIGIN" : "DENY");
  }
  if (api && !has_header(r, "Cache-Control")) r.header("Cache-Control", "no-store");
}

}  // namespace hall::http
