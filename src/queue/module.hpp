// The queue capability as a module (core/module.hpp): what it needs from the
// platform and from other modules, handed to its services and routes instead of the whole hall.
#pragma once

#include <memory>

#include "core/module.hpp"

namespace hall::calendar {
class CalendarService;
}
namespace hall::queue {
class QueueService;
}

namespace hall::queue {

struct Deps {
  const Config& config;                 // settings
  db::Database* db;                     // the database
  http::PushHub& push;                  // live updates (SSE)
  calendar::CalendarService* calendar;  // working days, closures and opening hours (B6.1, B6.3)
  queue::QueueService* queue;           // the queue
};

std::unique_ptr<Module> make_module();

}  // namespace hall::queue
