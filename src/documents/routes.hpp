#pragma once

#include "documents/module.hpp"
#include "http/router.hpp"
namespace hall::documents {
// /api/v1/documents… (documents.issue; a student reads their own), /api/v1/documents/stats (stats.read),
// /api/v1/public/verify/{code} (public, rate-limited).
void register_routes(http::Router& router, Deps& deps);
}  // namespace hall::documents
