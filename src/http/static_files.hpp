// The built web UI (web/dist): correct MIME types, long-cache hashed assets,
// no-cache index.html, the build's pre-compressed copies (.br, .gz) when the
// browser accepts them (Vary: Accept-Encoding), and the single-page-app fallback (any other path
// that is not a file gets index.html so the client router can show it).
#pragma once

#include <string>
#include <string_view>

#include "http/router.hpp"

namespace hall::http {

StaticHandler make_static_handler(std::string web_root);
std::string mime_type(const std::string& path);
// The q-value Accept-Encoding gives `coding` (lower case), "*" standing for
// any coding not named; 0 when not acceptable.
double accepted_quality(const std::string& accept_encoding, std::string_view coding);

}  // namespace hall::http
