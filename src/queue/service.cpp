// The queue service: construction, access checks shared by the use cases, publishing after a
// commit.
#include "queue/service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "auth/store.hpp"
#include "calendar/service.hpp"
#include "catalog/model.hpp"
#include "core/config.hpp"
#include "core/random.hpp"
#include "db/database.hpp"
#include "db/optional.hpp"
#include "db/statement.hpp"
#include "http/push.hpp"
#include "queue/module.hpp"
#include "queue/service_internal.hpp"

namespace hall::queue {

using namespace detail;

QueueService::QueueService(Deps& deps) : deps_(deps), pg_(!deps.db->is_sqlite()), views_(deps) {
  writes_ = std::make_unique<WriteQueue>(*deps.db, /*batch=*/!pg_);
  live_ = std::make_unique<LiveUpdates>(deps, views_, [this] { sweep_no_shows(); });
}

QueueService::~QueueService() { live_.reset(); }  // the thread stops before anything it uses

std::string QueueService::local_date(Millis at) const {
  return hall::local_date(at, deps_.config.utc_offset_minutes);
}

bool QueueService::is_supervisor(const auth::Caller& c) const {
  return c.principal.is_user() && (c.principal.role == "teacher" || c.principal.role == "admin");
}

bool QueueService::may_operate(const auth::Caller& c, const store::WindowInfo& w) const {
  if (is_supervisor(c)) return true;
  return auth::has_permission(c.principal, "queue.operate") && c.principal.unit_id != 0 &&
         w.unit_id && *w.unit_id == c.principal.unit_id;
}

store::WindowInfo QueueService::window_or_404(soci::session& s, std::int64_t id) {
  auto w = store::find_window(s, id);
  if (!w) throw errors::window_not_found();
  return *w;
}

store::Ticket QueueService::ticket_or_404(soci::session& s, std::int64_t id, bool for_update) {
  auto t = store::find_ticket(s, id, for_update);
  if (!t) throw ticket_not_found();
  return *t;
}

// ---------------------------------------------------------------------------
// Publishing

void QueueService::after_commit(Publish& p) {
  Millis now = Clock::now();
  if (!p.tickets.empty()) {
    std::vector<std::pair<std::string, std::string>> events;
    deps_.db->read([&](soci::session& s) {
      for (auto id : p.tickets)
        if (auto t = store::find_ticket(s, id, false))
          events.emplace_back("ticket:" + t->status_token,
                              json::serialize(public_json(s, *t, now, false)));
    });
    for (auto& [topic, data] : events) deps_.push.publish(topic, "ticket", data);
  }
  for (auto& [hall, call] : p.calls) publish_called(hall, call);
  for (auto w : p.windows)
    deps_.push.publish(fmt::format("window:{}", w), "console",
                       json::serialize(json::object{{"window_id", w}, {"reason", p.reason}}));
  for (auto& [h, d, g] : p.dirty) live_->mark_dirty(h, d, g);
}

void QueueService::publish_called(std::int64_t hall_id, const json::object& call) {
  deps_.push.publish(fmt::format("hall:{}", hall_id), "called", json::serialize(call));
}

void QueueService::notify_windows_of_item(soci::session& s, std::int64_t item_id,
                                          std::int64_t hall_id, std::set<std::int64_t>& windows) {
  if (auto item = store::find_item(s, item_id))
    for (const auto& w : item->windows)
      if (w.hall_id == hall_id) windows.insert(w.id);
}

}  // namespace hall::queue
