// Helpers of the queue's API tests: the hall's clock pinned to a known moment,
// items made to measure (quota, periods, windows), sessions of demo people and
// devices, and a raw-socket Server-Sent Events reader.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "db/optional.hpp"
#include "support/test_support.hpp"

namespace hall::test::queue {

// A Wednesday morning, the hall open (2026-11-25 10:00 in Shanghai).
inline Millis at(const std::string& local) { return parse_iso8601(local + "+08:00", "t"); }
inline const char* kWednesday10 = "2026-11-25T10:00:00";

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

// Reads a Server-Sent Events stream over a raw socket.
class SseReader {
 public:
  SseReader(unsigned short port, const std::string& path, const std::string& bearer = "") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    if (!bearer.empty()) req += "Authorization: Bearer " + bearer + "\r\n";
    req += "\r\n";
    ::send(fd_, req.data(), req.size(), MSG_NOSIGNAL);
  }
  ~SseReader() { ::close(fd_); }
  // Reads until `needle` appears (true) or the timeout passes (false). Everything read stays in text().
  bool wait_for(const std::string& needle, int timeout_ms = 3000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (buf_.find(needle, scanned_) == std::string::npos) {
      int left = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, left) <= 0) return false;
      char tmp[8192];
      ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n <= 0) return false;
      buf_.append(tmp, static_cast<std::size_t>(n));
    }
    return true;
  }
  // Marks everything read so far as seen: the next wait_for looks only at newer bytes.
  void consume() { scanned_ = buf_.size(); }
  const std::string& text() const { return buf_; }
  // The data line of the last event of that type.
  std::string last_data(const std::string& type) const {
    auto p = buf_.rfind("event: " + type + "\n");
    if (p == std::string::npos) return "";
    auto d = buf_.find("data: ", p);
    auto e = buf_.find('\n', d);
    return buf_.substr(d + 6, e - d - 6);
  }

 private:
  int fd_ = -1;
  std::string buf_;
  std::size_t scanned_ = 0;
};

}  // namespace hall::test::queue
