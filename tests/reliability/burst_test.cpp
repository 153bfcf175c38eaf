// The busy morning (issue #10, part 1): more clients than handler threads and
// database sessions together, writing at once, must never wedge the server.
// Seventeen simultaneous case intakes once did: a write transaction asked the
// calendar, which leased a second session while the first held SQLite's write
// lock, and every session ended up waiting on every other.
//
// What holds, on SQLite and PostgreSQL:
// - every request is answered within 10 s; no 5xx except 503 server_busy
//   (with Retry-After), which tells a client to try again;
// - every write route of the OpenAPI document (a row each in write_routes.tsv,
//   bodies valid where the demo data allows) survives the same burst;
// - afterwards the server answers a read and a write at once.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "support/clock.hpp"
#include "support/test_support.hpp"
#include "wiring/openapi.hpp"

namespace hall::test {
namespace {

using Steady = std::chrono::steady_clock;
constexpr int kAnswerWithinMs = 10'000;

struct Row {
  std::string method, path, caller, body;
};

std::vector<Row> write_routes() {
  std::vector<Row> rows;
  for (const auto& r : read_tsv("tests/reliability/write_routes.tsv", 4, 4))
    rows.push_back({r.cells[0], r.cells[1], r.cells[2], r.cells[3]});
  return rows;
}

// "/api/v1/cases/{id}/accept" matches "/api/v1/cases/7/accept".
bool matches(const std::string& tmpl, const std::string& path) {
  std::size_t i = 0, j = 0;
  while (i < tmpl.size() && j < path.size()) {
    if (tmpl[i] == '{') {
      i = tmpl.find('}', i) + 1;
      std::size_t end = path.find('/', j);
      j = end == std::string::npos ? path.size() : end;
      continue;
    }
    if (tmpl[i] != path[j]) return false;
    ++i, ++j;
  }
  return i == tmpl.size() && j == path.size();
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string content_type_of(const Row& r) {
  if (r.path == "/wechat") return "text/xml";
  if (r.path.find("/import") != std::string::npos && r.body[0] != '{') return "text/csv";
  if (r.path == "/api/v1/catalog/files") return "application/octet-stream";
  return "application/json";
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

struct Tally {
  std::mutex mu;
  std::map<int, int> by_status;
  std::vector<std::string> failures;  // unanswered, or 5xx other than 503 server_busy
  int answered = 0;
  void note(const std::string& what, const HttpResponse& r) {
    std::lock_guard lock(mu);
    ++by_status[r.status];
    if (r.status == 0) {
      failures.push_back(what + ": no answer within 10 s");
    } else {
      ++answered;
      if (r.status >= 500 && !(r.status == 503 && r.error_code() == "server_busy" && !r.header("retry-after").empty()))
        failures.push_back(what + ": " + std::to_string(r.status) + " " + r.body.substr(0, 200));
    }
  }
  std::string summary() {
    std::string s;
    for (auto& [k, v] : by_status) s += std::to_string(k) + "×" + std::to_string(v) + " ";
    return s;
  }
};

class ReliabilityBurst : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    // A weekday morning with the hall open, so that taking numbers and calling do real work.
    hall::Clock::pin(at(kWednesday10));
    hall_ = std::make_unique<TestHall>(GetParam());
    sessions_["admin"] = hall_->login("admin", "admin123");
    sessions_["teacher"] = hall_->login("teacher", "teacher123");
    sessions_["staff01"] = hall_->login("staff01", "staff123");
    sessions_["student"] = hall_->login("2023001005", "student123");
    sessions_["kiosk"] = Session{"demo-kiosk-token-0001-hall-main", "", false};
    sessions_["pad"] = Session{"demo-ratingpad-token-0001-window1", "", false};
  }

  HttpResponse send(const Row& r, const std::string& body, const std::string& idem) {
    HttpRequest req;
    req.method = r.method;
    req.path = r.path;
    if (body != "-") {
      req.body = body;
      req.headers.emplace_back("Content-Type", content_type_of(r));
    }
    auto it = sessions_.find(r.caller);
    if (it != sessions_.end()) req.headers.emplace_back("Authorization", "Bearer " + it->second.token);
    req.headers.emplace_back("Idempotency-Key", idem);
    return http_request(hall_->port(), req, kAnswerWithinMs);
  }

  // clients threads, each sending the rows from its own offset round and round for `seconds`.
  void burst(const std::vector<Row>& rows, int clients, std::chrono::milliseconds duration, Tally& tally) {
    std::atomic<int> unique{1000};
    std::vector<std::thread> threads;
    const auto until = Steady::now() + duration;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        std::size_t i = static_cast<std::size_t>(c);
        do {
          const Row& r = rows[i++ % rows.size()];
          int u = unique++;
          std::string body = replace_all(replace_all(replace_all(r.body, "$u", std::to_string(u)), "\\n", "\n"), "$s",
                                         std::to_string(100 + u % 200));
          auto resp = send(r, body, "burst-" + std::to_string(u) + "-key");
          tally.note(r.method + " " + r.path, resp);
        } while (Steady::now() < until);
      });
    }
    for (auto& t : threads) t.join();
  }

  // The server serves a read and a write at once after the burst.
  void expect_healthy() {
    HttpResponse read, write;
    std::thread a([&] {
      HttpRequest req{"GET", "/api/v1/auth/me", "", {{"Authorization", "Bearer " + sessions_["staff01"].token}}};
      read = http_request(hall_->port(), req, kAnswerWithinMs);
    });
    std::thread b([&] {
      HttpRequest req{"POST", "/api/v1/cases",
                      R"({"channel":"walk_in","student_no":"2023001005","summary":"咨询"})",
                      {{"Authorization", "Bearer " + sessions_["staff01"].token}, {"Content-Type", "application/json"}}};
      write = http_request(hall_->port(), req, kAnswerWithinMs);
    });
    a.join();
    b.join();
    EXPECT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(write.status, 201) << write.body;
    auto deep = http_request(hall_->port(), HttpRequest{"GET", "/healthz?deep=1", "", {}}, kAnswerWithinMs);
    EXPECT_EQ(deep.status, 200) << deep.body;
  }

  void TearDown() override {
    hall_.reset();
    hall::Clock::unpin();
  }

  int clients() const {
    // Three times (handler threads + database sessions) of the test server.
    return 3 * (8 + 8);
  }

  std::unique_ptr<TestHall> hall_;
  std::map<std::string, Session> sessions_;
};

TEST(ReliabilityBurstTable, EveryWriteRouteOfTheOpenApiHasARow) {
  auto rows = write_routes();
  const auto& paths = openapi_document().at("paths").as_object();
  int writes = 0;
  for (const auto& [path, ops] : paths) {
    for (const auto& [method, op] : ops.as_object()) {
      std::string m = upper(std::string(method));
      if (m != "POST" && m != "PUT" && m != "PATCH" && m != "DELETE") continue;
      ++writes;
      bool found = false;
      for (const auto& r : rows) found = found || (r.method == m && matches(std::string(path), r.path));
      EXPECT_TRUE(found) << m << " " << std::string(path) << " has no row in tests/reliability/write_routes.tsv";
    }
  }
  EXPECT_GT(writes, 50);
  for (const auto& r : rows) {
    bool described = false;
    for (const auto& [path, ops] : paths)
      described = described || (matches(std::string(path), r.path) && ops.as_object().contains(
                                                                           [&] {
                                                                             std::string m = r.method;
                                                                             for (auto& c : m) c = char(std::tolower(c));
                                                                             return m;
                                                                           }()));
    EXPECT_TRUE(described) << r.method << " " << r.path << " is in the table but not in the OpenAPI document";
  }
}

// The reproduction of the wedge: staff intakes and online applications, far more
// at once than there are threads and sessions.
TEST_P(ReliabilityBurst, CaseIntakesBeyondThreadsAndSessionsNeverWedgeTheServer) {
  std::vector<Row> rows = {
      {"POST", "/api/v1/cases", "staff01", R"({"channel":"walk_in","student_no":"2023001005","summary":"咨询"})"},
      {"POST", "/api/v1/my/cases", "student", R"({"item_id":1,"summary":"网上申请"})"},
  };
  Tally tally;
  burst(rows, clients(), std::chrono::milliseconds(3000), tally);
  EXPECT_TRUE(tally.failures.empty()) << tally.failures.size() << " failures, first: " << tally.failures.front()
                                      << "\nstatuses: " << tally.summary();
  EXPECT_GT(tally.by_status[201], clients()) << tally.summary();  // real work got done, not only 503s
  expect_healthy();
}

TEST_P(ReliabilityBurst, EveryWriteRouteUnderABurstIsAnsweredWithoutServerErrors) {
  auto rows = write_routes();
  Tally tally;
  burst(rows, clients(), std::chrono::milliseconds(4000), tally);
  EXPECT_TRUE(tally.failures.empty()) << tally.failures.size() << " failures, first: " << tally.failures.front()
                                      << "\nstatuses: " << tally.summary();
  EXPECT_GE(tally.answered, static_cast<int>(rows.size()));
  std::cout << "statuses: " << tally.summary() << "\n";
  expect_healthy();
}

INSTANTIATE_TEST_SUITE_P(Backends, ReliabilityBurst, testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
