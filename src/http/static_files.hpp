// The built web UI (web/dist): correct MIME types, long-cache hashed assets,
// no-cache index.html, and the single-page-app fallback (any other path that
// is not a file gets index.html so the client router can show it).
#pragma once

#include <string>

#include "http/router.hpp"

namespace hall::http {

StaticHandler make_static_handler(std::string web_root);
std::string mime_type(const std::string& path);

}  // namespace hall::http
