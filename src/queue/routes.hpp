// The queue's HTTP API (docs/queue-contract.md, docs/openapi/40-queue.json).
#pragma once

#include "queue/module.hpp"

#include "http/router.hpp"

namespace hall::queue {
void register_routes(http::Router& router, Deps& deps);
}
