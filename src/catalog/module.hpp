// The catalog capability as a module (core/module.hpp): what it needs from the
// platform and from other modules, handed to its services and routes instead of the whole hall.
#pragma once

#include <memory>

#include "core/module.hpp"

namespace hall::catalog {

struct Deps {
  const Config& config;  // settings
  db::Database* db;      // the database
};

std::unique_ptr<Module> make_module();

}  // namespace hall::catalog
