// One running Hall: its settings, database, metrics and services, and the
// registration of every capability's routes. Shared by `hall serve` and the
// API tests (which start the same thing on an ephemeral port).
#pragma once

#include <memory>

#include "auth/principal.hpp"
#include "auth/service.hpp"
#include "calendar/service.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/metrics.hpp"
#include "http/push.hpp"
#include "http/router.hpp"

namespace hall {

namespace queue {
class QueueService;
}
namespace courtesy {
class CourtesyService;
}
namespace documents {
class DocumentService;
}
namespace cases {
class WarningService;
}

struct App {
  Config config;
  std::unique_ptr<db::Database> db;
  http::Metrics metrics;
  http::PushHub push;  // live updates to boards and status pages (SSE)
  std::unique_ptr<auth::AuthService> auth;
  // Working days, closures, opening hours of every hall (B6.1, B6.3): for_hall(id) is cheap and thread-safe.
  std::unique_ptr<calendar::CalendarService> calendar;
  // The queue (tickets, windows, boards, appointments): group-committed writes and live updates.
  std::unique_ptr<hall::queue::QueueService> queue;
  // B1: the courtesy check; app.courtesy->enforce(tx, caller, text, context) before saving what staff write to a student.
  std::unique_ptr<courtesy::CourtesyService> courtesy;
  // B5: documents from templates; app.documents->issue_in(tx, caller, spec) issues one inside a capability's transaction.
  std::unique_ptr<documents::DocumentService> documents;
  // B6.3: time-limit warnings recorded once and pushed to the handler and the teacher
  // (`hall serve` starts its sweeper; tests call sweep_once). Declared last: stopped first.
  std::unique_ptr<cases::WarningService> case_warnings;

  // Opens the database and applies migrations (throws with a clear reason).
  explicit App(Config c);
  ~App();
};

// The caller of a request, for services and the audit log.
auth::Caller caller_of(const http::Request& req);

void register_all_routes(http::Router& router, App& app);
std::unique_ptr<http::Dispatcher> make_dispatcher(App& app, http::Router& router);

}  // namespace hall
