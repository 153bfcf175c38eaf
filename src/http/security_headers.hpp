// Response headers that protect people rather than describe content (issue 10 §4),
// applied in one place to every response the dispatcher produces — API, static
// files and the single-page-app fallback alike — so no route can forget them.
//
//  - Every HTML page: a Content-Security-Policy without inline script,
//    frame-ancestors 'none' and X-Frame-Options: DENY (no clickjacking). The one
//    exception is the ticket print page (/print/…), which the kiosk loads into
//    its own hidden iframe to print: it may be framed by the same origin only.
//  - Every response: Referrer-Policy: no-referrer. The ticket status page carries
//    its secret in the URL (/t/<token>); no link or request from it may leak it.
//  - Every API response (under /api/, and the other API routes such as the WeChat
//    callback) gets Cache-Control: no-store unless its handler chose a caching
//    policy itself (catalog files, the ticket QR). Personal data is everywhere in
//    the API, including behind public routes (ticket status, complaint tracking,
//    document verification), and a list of "personal" routes would rot as routes
//    are added; the clearly public answers (catalog, announcements, board,
//    openapi.json) lose nothing, as no API answer carries a validator
//    (ETag/Last-Modified) that a cache could use.
#pragma once

#include <string>

#include "http/request.hpp"

namespace hall::http {

// The policy of the web UI's pages. Scripts, styles, fonts and images come
// from this origin only; style attributes are allowed (Vue and Element Plus set
// positions and sizes with them) but <style> and <script> elements in the page are not.
extern const char* const kContentSecurityPolicy;

// Adds the headers above to r. api: the request went to an API route (not a file of the web UI).
void add_security_headers(const Request& req, bool api, Response& r);

}  // namespace hall::http
