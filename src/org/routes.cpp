#include "org/routes.hpp"

namespace hall::org {
void register_routes(http::Router&, App&) {}
}  // namespace hall::org
