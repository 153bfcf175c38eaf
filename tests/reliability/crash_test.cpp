// kill -9 during take-a-number load (issue #10, part 1), on SQLite and
// PostgreSQL: every ticket acknowledged before the crash is there after the
// restart, and replaying the requests that got no answer, with their
// Idempotency-Key, never makes a second ticket.
//
// The server is the real one (App, router, Beast server) in a forked child
// process with the hall's clock pinned to a weekday morning; the parent is the
// crowd of kiosks and the one who pulls the plug.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "support/clock.hpp"
#include "support/test_support.hpp"

namespace hall::test {
namespace {

namespace fs = std::filesystem;

// Starts the test server (TestHall: App, router, Beast server) in a child
// process on db_url; returns its pid and port.
std::pair<pid_t, unsigned short> start_server(const std::string& backend, const std::string& db_url, bool demo) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    try {
      Clock::pin(at(kWednesday10));
      // The test server of every API test, on the given database (not a fresh one).
      TestHall hall(backend, demo, [&](Config& c) { c.db_url = db_url; });
      unsigned short port = hall.port();
      if (::write(fds[1], &port, sizeof port) != sizeof port) _exit(3);
      ::close(fds[1]);
      for (;;) ::pause();  // serves on TestHall's thread until SIGKILL
    } catch (const std::exception& e) {
      fprintf(stderr, "child server failed: %s\n", e.what());
      _exit(2);
    }
  }
  ::close(fds[1]);
  unsigned short port = 0;
  ssize_t n = ::read(fds[0], &port, sizeof port);
  ::close(fds[0]);
  if (n != sizeof port) {
    int status = 0;
    waitpid(pid, &status, 0);
    throw std::runtime_error("the child server did not start");
  }
  return {pid, port};
}

void kill_hard(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

HttpResponse take(unsigned short port, long long item, const std::string& student_no, const std::string& key) {
  HttpRequest req;
  req.method = "POST";
  req.path = "/api/v1/tickets";
  req.body = json::serialize(json::object{{"item_id", item}, {"student_no", student_no}});
  req.headers = {{"Authorization", "Bearer demo-kiosk-token-0001-hall-main"},
                 {"Content-Type", "application/json"},
                 {"Idempotency-Key", key}};
  try {
    return http_request(port, req, 10'000);
  } catch (const std::exception&) {
    return HttpResponse{};  // connection refused or reset: unanswered
  }
}

long long scalar(db::Database& d, const std::string& sql) {
  return d.read([&](soci::session& s) {
    long long n = 0;
    soci::indicator ind = soci::i_ok;
    s << sql, soci::into(n, ind);
    return ind == soci::i_null ? 0LL : n;
  });
}

class ReliabilityCrash : public testing::TestWithParam<std::string> {};
INSTANTIATE_TEST_SUITE_P(Backends, ReliabilityCrash, testing::ValuesIn(backends()), backend_name);

TEST_P(ReliabilityCrash, KillNineDuringTakeANumberLosesNoAcknowledgedTicketAndReplaysMakeNoDuplicates) {
  const std::string url = fresh_db_url(GetParam());
  auto [pid, port] = start_server(GetParam(), url, /*demo=*/true);

  long long item = 0, before = 0;
  {
    auto d = db::Database::open(url, 1);
    item = scalar(*d, "SELECT id FROM catalog_items WHERE code = 'JWC-001'");
    before = scalar(*d, "SELECT COUNT(*) FROM queue_tickets");
  }
  ASSERT_GT(item, 0);

  // 16 kiosks, one request per student (a student holds one ticket at a time), each with its own key.
  std::mutex mu;
  std::map<std::string, long long> acknowledged;  // key → ticket id
  std::vector<std::pair<std::string, std::string>> unanswered;  // (key, student_no)
  std::atomic<int> next_student{1}, acks{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> kiosks;
  for (int k = 0; k < 16; ++k)
    kiosks.emplace_back([&] {
      while (!stop) {
        int n = next_student++;
        if (n > 300) break;
        std::string student = fmt::format("2023001{:03d}", n);
        std::string key = "crash-key-" + student;
        auto r = take(port, item, student, key);
        std::lock_guard lock(mu);
        if (r.status == 201 || r.status == 200) {
          acknowledged[key] = r.json().at("id").as_int64();
          ++acks;
        } else if (r.status == 0) {
          unanswered.emplace_back(key, student);
        }
      }
    });
  // Pull the plug while requests are in flight.
  while (acks < 120 && next_student <= 300) std::this_thread::yield();
  kill_hard(pid);
  stop = true;
  for (auto& t : kiosks) t.join();
  ASSERT_GE(acknowledged.size(), 120u);

  // Restart on the same database.
  auto [pid2, port2] = start_server(GetParam(), url, /*demo=*/false);
  {
    auto d = db::Database::open(url, 1);
    for (const auto& [key, id] : acknowledged)
      EXPECT_EQ(scalar(*d, "SELECT COUNT(*) FROM queue_tickets WHERE id = " + std::to_string(id)), 1)
          << "acknowledged ticket " << id << " (" << key << ") lost in the crash";
  }
  // Replays: the unanswered requests again, and some acknowledged ones too.
  int replayed = 0;
  for (const auto& [key, student] : unanswered) {
    auto r = take(port2, item, student, key);
    EXPECT_TRUE(r.status == 201 || r.status == 200) << key << ": " << r.status << " " << r.body;
    ++replayed;
  }
  int again = 0;
  for (const auto& [key, id] : acknowledged) {
    if (again++ == 20) break;
    auto r = take(port2, item, key.substr(std::string("crash-key-").size()), key);
    ASSERT_TRUE(r.status == 200 || r.status == 201) << r.body;
    EXPECT_EQ(r.json().at("id").as_int64(), id) << "a replayed key must answer its first ticket";
  }
  kill_hard(pid2);

  auto d = db::Database::open(url, 1);
  // One ticket per key: the new tickets are exactly the keys that got one.
  long long made = scalar(*d, "SELECT COUNT(*) FROM queue_tickets") - before;
  long long keys = scalar(*d, "SELECT COUNT(*) FROM queue_idempotency WHERE idem_key LIKE 'crash-key-%'");
  EXPECT_EQ(made, keys);
  EXPECT_EQ(scalar(*d,
                   "SELECT COUNT(*) FROM (SELECT ticket_id FROM queue_idempotency WHERE idem_key LIKE 'crash-key-%' "
                   "GROUP BY ticket_id HAVING COUNT(*) > 1) dup"),
            0);
  EXPECT_GE(keys, static_cast<long long>(acknowledged.size()));
  std::cout << "acknowledged before the crash: " << acknowledged.size() << ", unanswered and replayed: " << replayed
            << "\n";
  d.reset();
  if (url.rfind("sqlite:", 0) == 0)
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(url.substr(7) + ext);
}

}  // namespace
}  // namespace hall::test
