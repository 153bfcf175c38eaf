#pragma once

#include "feedback/module.hpp"
#include "http/router.hpp"
namespace hall::feedback {
// The WeChat callback (config [wechat] path, default /wechat), /api/v1/public/feedback…,
// /api/v1/my/feedback…, /api/v1/feedback… (complaints.handle, feedback.oversee).
void register_routes(http::Router& router, Deps& deps);
}  // namespace hall::feedback
