// Helpers of the queue's API tests: items made to measure (quota, periods,
// windows) and sessions of demo people and devices. The clock: support/clock.hpp;
// the Server-Sent Events reader: support/sse_reader.hpp.
#pragma once

#include <string>
#include <vector>

#include "support/clock.hpp"
#include "support/sse_reader.hpp"
#include "db/optional.hpp"
#include "support/test_support.hpp"

namespace hall::test::queue {

inline Session device(const std::string& token) { return Session{token, "", false}; }
inline Session kiosk() { return device("demo-kiosk-token-0001-hall-main"); }
inline Session board_device() { return device("demo-board-token-0001-hall-main"); }
inline Session checkin_device() { return device("demo-checkin-token-0001-hall-main"); }

inline long long window_id(TestHall& h, int number) {
  return h.count("SELECT id FROM windows WHERE hall_id = 1 AND number = " + std::to_string(number));
}
inline long long item_id(TestHall& h, const std::string& code) {
  return h.count("SELECT id FROM catalog_items WHERE code = '" + code + "'");
}

struct ItemSpec {
  std::string code = "TEST-001";
  std::string prefix = "T";
  std::optional<int> quota;
  std::string periods_json = "[]";
  std::vector<int> windows{2};  // window numbers in hall 1
  std::string mode = "on_site";
  bool suspended = false;
};

// A service item with exactly these properties (a fresh immutable version, as the catalog would write it).
inline long long make_item(TestHall& h, const ItemSpec& spec) {
  return h.app().db->write([&](soci::session& s) {
    long long unit = 0, now = Clock::now(), item = 0, version = 0;
    s << "SELECT id FROM units WHERE code = 'JWC'", soci::into(unit);
    int suspended = spec.suspended ? 1 : 0;
    s << "INSERT INTO catalog_items (code, unit_id, suspended, created_at, updated_at) VALUES (:c, :u, :s, :t, :t2) "
         "RETURNING id",
        soci::use(spec.code), soci::use(unit), soci::use(suspended), soci::use(now), soci::use(now), soci::into(item);
    std::optional<int> quota = spec.quota;
    std::string name = "测试事项 " + spec.code, name_en = "Test item " + spec.code;
    s << "INSERT INTO catalog_item_versions (item_id, version_no, unit_id, name, name_en, category, handling_mode, "
         "periods_json, queue_prefix, daily_quota, created_at) VALUES (:i, 1, :u, :n, :e, '测试', :m, :p, :q, :d, :t) "
         "RETURNING id",
        soci::use(item), soci::use(unit), soci::use(name), soci::use(name_en), soci::use(spec.mode),
        soci::use(spec.periods_json), soci::use(spec.prefix), soci::use(quota), soci::use(now), soci::into(version);
    for (int number : spec.windows) {
      long long w = 0;
      s << "SELECT id FROM windows WHERE hall_id = 1 AND number = :n", soci::use(number), soci::into(w);
      s << "INSERT INTO catalog_version_windows (version_id, window_id) VALUES (:v, :w)", soci::use(version), soci::use(w);
    }
    s << "UPDATE catalog_items SET current_version_id = :v WHERE id = :i", soci::use(version), soci::use(item);
    return item;
  });
}

inline std::string str(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }

inline HttpResponse take(TestHall& h, const Session& s, long long item, const std::string& student_no,
                         const std::string& key) {
  json::object body{{"item_id", item}};
  if (!student_no.empty()) body["student_no"] = student_no;
  std::vector<std::pair<std::string, std::string>> headers;
  if (!key.empty()) headers.emplace_back("Idempotency-Key", key);
  return h.send("POST", "/api/v1/tickets", json::serialize(body), &s, headers);
}

}  // namespace hall::test::queue
