// The queue's HTTP API (docs/queue-contract.md, docs/openapi/40-queue.json).
#pragma once

#include "http/router.hpp"

namespace hall {
struct App;
}

namespace hall::queue {
void register_routes(http::Router& router, App& app);
}
