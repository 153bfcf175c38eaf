// The hall's display board and QR codes.
#include <fmt/format.h>
#include <qrencode.h>

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
#include "queue/service.hpp"
#include "queue/service_internal.hpp"

namespace hall::queue {

using namespace detail;

// ---------------------------------------------------------------------------
// Boards

void QueueService::check_board_access(const auth::Caller& c, std::int64_t hall_id) {
  if (c.principal.is_device()) {
    // A board device shows only its own hall.
    if (c.principal.role != "board" || c.principal.hall_id != hall_id) throw forbidden();
    return;
  }
  if (!auth::has_permission(c.principal, "queue.board")) throw forbidden();
}

json::object QueueService::board(const auth::Caller& c, std::int64_t hall_id) {
  check_board_access(c, hall_id);
  Millis now = Clock::now();
  std::string today = local_date(now);
  return deps_.db->read([&](soci::session& s) {
    json::object hall;
    std::vector<Bind> hb{static_cast<long long>(hall_id)};
    store::query(s, "SELECT id, code, name, name_en FROM halls WHERE id = :id", hb,
                 [&](const soci::row& r) {
                   hall = json::object{{"id", col_i64(r, 0)},
                                       {"code", col_str(r, 1)},
                                       {"name", col_str(r, 2)},
                                       {"name_en", col_str(r, 3)}};
                 });
    if (hall.empty()) throw errors::hall_not_found();
    json::array calls;
    std::vector<Bind> cb{static_cast<long long>(hall_id), today};
    store::query(s,
                 "SELECT ticket_number, window_number, called_at, recall FROM queue_calls WHERE "
                 "hall_id = :h AND "
                 "service_date = :d ORDER BY id DESC LIMIT 10",
                 cb, [&](const soci::row& r) {
                   std::string number = col_str(r, 0);
                   int wnum = static_cast<int>(col_i64(r, 1));
                   calls.push_back(json::object{{"ticket_number", number},
                                                {"window_number", wnum},
                                                {"called_at", iso8601_utc(col_i64(r, 2))},
                                                {"spoken", spoken_call(number, wnum)},
                                                {"recall", col_i64(r, 3) != 0}});
                 });
    json::array announcements;
    std::vector<Bind> ab{static_cast<long long>(hall_id), static_cast<long long>(now),
                         static_cast<long long>(now)};
    store::query(
        s,
        "SELECT id, title FROM announcements WHERE published = 1 AND (hall_id IS NULL OR hall_id = "
        ":h) AND "
        "(publish_from IS NULL OR publish_from <= :n) AND (publish_until IS NULL OR publish_until "
        "> :n2) "
        "ORDER BY pinned DESC, COALESCE(publish_from, created_at) DESC LIMIT 10",
        ab, [&](const soci::row& r) {
          announcements.push_back(json::object{{"id", col_i64(r, 0)}, {"title", col_str(r, 1)}});
        });
    return json::object{{"hall", hall},
                        {"calls", calls},
                        {"waiting", views_.waiting_counts(s, hall_id, today)},
                        {"announcements", announcements},
                        {"now", iso8601_utc(now)}};
  });
}

// ---------------------------------------------------------------------------
// QR code (libqrencode) as SVG

std::string qr_svg(const std::string& text) {
  QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!code) throw std::runtime_error("QR encoding failed");
  int w = code->width, margin = 4, size = w + 2 * margin;
  std::string path;
  path.reserve(static_cast<std::size_t>(w) * w * 4);
  for (int y = 0; y < w; ++y)
    for (int x = 0; x < w; ++x)
      if (code->data[y * w + x] & 1) path += fmt::format("M{} {}h1v1h-1z", x + margin, y + margin);
  QRcode_free(code);
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
      "viewBox=\"0 0 {0} {0}\" "
      "width=\"{1}\" height=\"{1}\" shape-rendering=\"crispEdges\"><rect width=\"{0}\" "
      "height=\"{0}\" fill=\"#fff\"/>"
      "<path fill=\"#000\" d=\"{2}\"/></svg>\n",
      size, size * 4, path);
}

}  // namespace hall::queue
