// The queue's benchmarks (bench/queue.sh runs this), each beside its ceiling
// from the same run. The real server (tests/support TestHall: Beast, worker
// pool, SQLite file in WAL mode with synchronous=FULL) on a loopback port,
// driven over keep-alive HTTP/1.1 connections by the threads of this program.
//
//   take      C kiosk clients take numbers for distinct students: tickets/s, every
//             ticket durably committed before its 201 (group commit, queue/write_queue.hpp).
//   ceiling   raw single-row durable SQLite inserts (own transaction each) in the same directory.
//   call-next 8 windows × N calls over a preloaded queue: duplicates, lost, p99 latency.
//   push      2,000 board streams (SSE): a call reaches every one, p99 latency; bytes per idle stream.
//
// Prints one "name value" line per figure.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sqlite3.h>
#include <malloc.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "auth/password.hpp"
#include "core/clock.hpp"
#include "demo/seed.hpp"
#include "http/server.hpp"
#include "wiring/app.hpp"
#include "db/optional.hpp"
#include "queue/model.hpp"
#include "queue/service.hpp"
#include "support/test_support.hpp"

using namespace hall;
using Clk = std::chrono::steady_clock;

namespace {

int env_int(const char* name, int def) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : def;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

long rss_kb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return 0;
}

int connect_to(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// A keep-alive HTTP/1.1 client: one request at a time, Content-Length bodies.
class Client {
 public:
  Client(unsigned short port, std::string token) : port_(port), token_(std::move(token)) { fd_ = connect_to(port_); }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  struct Resp {
    int status = 0;
    std::string body;
  };
  Resp post(const std::string& path, const std::string& body, const std::string& extra_headers = "") {
    std::string req = fmt::format(
        "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n{}"
        "Content-Length: {}\r\n\r\n{}",
        path, token_, extra_headers, body.size(), body);
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (fd_ < 0) fd_ = connect_to(port_);
      if (send_all(req)) {
        Resp r;
        if (read_response(r)) return r;
      }
      ::close(fd_);
      fd_ = -1;
      buf_.clear();
    }
    return {};
  }

 private:
  bool send_all(const std::string& s) {
    std::size_t sent = 0;
    while (sent < s.size()) {
      ssize_t n = ::send(fd_, s.data() + sent, s.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool read_response(Resp& r) {
    for (;;) {
      auto end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string head = buf_.substr(0, end);
        r.status = std::atoi(head.c_str() + 9);
        std::size_t len = 0;
        std::string lower = head;
        for (auto& c : lower) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
        auto p = lower.find("content-length:");
        if (p != std::string::npos) len = std::strtoul(lower.c_str() + p + 15, nullptr, 10);
        if (buf_.size() >= end + 4 + len) {
          r.body = buf_.substr(end + 4, len);
          buf_.erase(0, end + 4 + len);
          return true;
        }
      }
      char tmp[16384];
      ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n <= 0) return false;
      buf_.append(tmp, static_cast<std::size_t>(n));
    }
  }
  unsigned short port_;
  std::string token_;
  int fd_ = -1;
  std::string buf_;
};

// The real server as `hall serve` runs it, on a loopback port, with a fresh SQLite file
// (WAL, synchronous=FULL) and the demo data; more handler threads than the default 16
// (worker_threads in hall.toml), so that more takers can share one commit.
struct BenchHall {
  std::string dir, db_path;
  std::unique_ptr<App> app_;
  std::unique_ptr<http::Router> router;
  std::unique_ptr<http::Dispatcher> dispatcher;
  std::unique_ptr<http::Server> server;
  std::thread thread;
  unsigned short port_ = 0;

  explicit BenchHall(int workers) {
    test::use_fast_password_hashing();
    dir = std::filesystem::temp_directory_path() / fmt::format("hall-queue-bench-{}", getpid());
    std::filesystem::create_directories(dir);
    db_path = dir + "/hall.db";
    Config c;
    c.db_url = "sqlite:" + db_path;
    c.db_pool_size = workers + 8;  // every handler thread can hold a read session
    c.worker_threads = workers;
    c.access_log = false;
    c.web_root = dir;
    app_ = std::make_unique<App>(c);
    demo::seed(*app_->db);
    router = std::make_unique<http::Router>();
    register_all_routes(*router, *app_);
    dispatcher = make_dispatcher(*app_, *router);
    http::ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.io_threads = 2;
    o.worker_threads = workers;
    o.access_log = false;
    o.push = &app_->push;
    server = std::make_unique<http::Server>(o, *dispatcher, app_->metrics);
    port_ = server->listen();
    thread = std::thread([this] { server->run(); });
  }
  ~BenchHall() {
    server->stop();
    thread.join();
    server.reset();
    app_.reset();
    std::filesystem::remove_all(dir);
  }
  unsigned short port() const { return port_; }
  App& app() { return *app_; }
  long long count(const std::string& sql) {
    return app_->db->read([&](soci::session& s) {
      long long n = 0;
      s << sql, soci::into(n);
      return n;
    });
  }
};

std::string login(BenchHall& h, const std::string& user, const std::string& pw) {
  auto r = test::http_request(h.port(), test::HttpRequest{"POST", "/api/v1/auth/login",
                                                          fmt::format(R"({{"login":"{}","password":"{}"}})", user, pw),
                                                          {{"Content-Type", "application/json"}}});
  return std::string(r.json().at("token").as_string());
}

long long make_item(BenchHall& h, const std::string& code, const std::string& prefix, std::vector<int> windows) {
  return h.app().db->write([&](soci::session& s) {
    long long unit = 0, now = Clock::now(), item = 0, version = 0;
    s << "SELECT id FROM units WHERE code = 'JWC'", soci::into(unit);
    s << "INSERT INTO catalog_items (code, unit_id, created_at, updated_at) VALUES (:c, :u, :t, :t2) RETURNING id",
        soci::use(code), soci::use(unit), soci::use(now), soci::use(now), soci::into(item);
    std::string name = "基准事项 " + code;
    s << "INSERT INTO catalog_item_versions (item_id, version_no, unit_id, name, category, handling_mode, queue_prefix, "
         "created_at) VALUES (:i, 1, :u, :n, '基准', 'on_site', :p, :t) RETURNING id",
        soci::use(item), soci::use(unit), soci::use(name), soci::use(prefix), soci::use(now), soci::into(version);
    for (int number : windows) {
      long long w = 0;
      s << "SELECT id FROM windows WHERE hall_id = 1 AND number = :n", soci::use(number), soci::into(w);
      s << "INSERT INTO catalog_version_windows (version_id, window_id) VALUES (:v, :w)", soci::use(version), soci::use(w);
    }
    s << "UPDATE catalog_items SET current_version_id = :v WHERE id = :i", soci::use(version), soci::use(item);
    return item;
  });
}

// ---------------------------------------------------------------------------

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double g_take_cpu_us = 0;  // CPU time of the whole process (server and clients) per ticket

double bench_take(BenchHall& h, int tickets, int clients) {
  // Students to take numbers for: demo has 300; add more straight into the store.
  h.app().db->write([&](soci::session& s) {
    long long now = Clock::now();
    for (int i = 1; i <= tickets; ++i) {
      long long id = 0;
      std::string login = fmt::format("bench{:06d}", i), no = fmt::format("9{:09d}", i);
      s << "INSERT INTO users (login, name, role, password_hash, created_at, updated_at, password_changed_at) VALUES "
           "(:l, '基准学生', 'student', 'x', :t, :t2, :t3) RETURNING id",
          soci::use(login), soci::use(now), soci::use(now), soci::use(now), soci::into(id);
      s << "INSERT INTO students (user_id, student_no) VALUES (:u, :n)", soci::use(id), soci::use(no);
    }
  });
  // Four items in four queue groups, served at window 9 (apart from the call-next windows).
  std::vector<long long> items;
  for (const char* g : {"K", "L", "M", "O"}) items.push_back(make_item(h, std::string("BENCH-TAKE-") + g, g, {9}));
  std::atomic<int> next{1}, ok{0}, bad{0};
  std::string kiosk = "demo-kiosk-token-0001-hall-main";
  auto t0 = Clk::now();
  double cpu0 = cpu_seconds();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&] {
      Client cl(h.port(), kiosk);
      for (;;) {
        int i = next++;
        if (i > tickets) break;
        auto r = cl.post("/api/v1/tickets", fmt::format(R"({{"item_id":{},"student_no":"9{:09d}"}})", items[i % 4], i),
                         fmt::format("Idempotency-Key: bench-take-{:08d}\r\n", i));
        if (r.status == 201) ++ok;
        else if (++bad < 5) std::fprintf(stderr, "take: %d %s\n", r.status, r.body.c_str());
      }
    });
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clk::now() - t0).count();
  g_take_cpu_us = (cpu_seconds() - cpu0) * 1e6 / std::max(1, ok.load());
  long long stored = h.count("SELECT COUNT(DISTINCT number) FROM queue_tickets WHERE queue_group IN ('K', 'L', 'M', 'O')");
  if (stored != ok.load()) std::fprintf(stderr, "take: %lld stored, %d answered 201\n", stored, ok.load());
  auto st = h.app().service<hall::queue::QueueService>().writes().stats();
  std::fprintf(stderr, "take: %d tickets in %.2f s by %d clients; %llu commits, largest batch %llu\n", ok.load(), secs,
               clients, static_cast<unsigned long long>(st.batches), static_cast<unsigned long long>(st.max_batch));
  return ok.load() / secs;
}

double bench_ceiling(const std::string& dir, double seconds) {
  std::string path = dir + "/ceiling.db";
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t (v) VALUES ('A001')", -1, &st, nullptr);
  int n = 0;
  auto t0 = Clk::now();
  while (std::chrono::duration<double>(Clk::now() - t0).count() < seconds) {
    sqlite3_step(st);  // autocommit: one durable transaction per row
    sqlite3_reset(st);
    ++n;
  }
  double secs = std::chrono::duration<double>(Clk::now() - t0).count();
  sqlite3_finalize(st);
  sqlite3_close(db);
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
  return n / secs;
}

struct CallFigures {
  long long duplicates = 0, lost = 0;
  double p99_ms = 0, p50_ms = 0, calls_per_s = 0;
};

CallFigures bench_call_next(BenchHall& h, int total) {
  // The take phase's tickets are closed first, as a day would have served them: the call
  // benchmark measures its own queue, not 20,000 tickets nobody calls at window 9.
  h.app().db->write([](soci::session& s) {
    s << "UPDATE queue_tickets SET status = 'done' WHERE status = 'waiting' AND queue_group IN ('K', 'L', 'M', 'O')";
  });
  long long item = make_item(h, "BENCH-CALL", "N", {1, 2, 3, 4, 5, 6, 7, 8});
  std::string date = h.app().service<hall::queue::QueueService>().local_date(Clock::now());
  h.app().db->write([&](soci::session& s) {
    long long version = 0, now = Clock::now(), student = 0;
    s << "SELECT current_version_id FROM catalog_items WHERE id = :i", soci::use(item), soci::into(version);
    s << "SELECT user_id FROM students WHERE student_no = '2023001001'", soci::into(student);
    long long seq = 0;
    std::string number, token;
    long long key = 0;
    soci::statement ins =
        (s.prepare << "INSERT INTO queue_tickets (hall_id, service_date, number, seq, queue_group, item_id, "
                      "item_version_id, student_id, channel, status, status_token, sort_key, taken_at) VALUES (1, :d, "
                      ":n, :seq, 'N', :i, :v, :s, 'kiosk', 'waiting', :tok, :k, :t)",
         soci::use(date), soci::use(number), soci::use(seq), soci::use(item), soci::use(version), soci::use(student),
         soci::use(token), soci::use(key), soci::use(now));
    for (int i = 1; i <= total; ++i) {
      seq = i;
      number = queue::format_number("N", i);
      token = fmt::format("bench-call-{:08d}-xxxxxxxxxxxxxxxxxxxxxxxxxxx", i);
      key = queue::sort_key_for(now + i, i);
      ins.execute(true);
    }
  });
  long long first_id = h.count("SELECT MIN(id) FROM queue_tickets WHERE queue_group = 'N'");
  const char* staff[] = {"staff02", "staff01", "staff03", "staff04", "staff05", "staff06", "staff07", "staff08"};
  std::vector<std::string> tokens;
  std::vector<long long> windows;
  for (int w = 1; w <= 8; ++w) {
    tokens.push_back(login(h, staff[w - 1], "staff123"));
    windows.push_back(h.count(fmt::format("SELECT id FROM windows WHERE hall_id = 1 AND number = {}", w)));
    Client c(h.port(), tokens.back());
    auto r = c.post(fmt::format("/api/v1/windows/{}/session", windows.back()), "{}");
    if (r.status != 201) std::fprintf(stderr, "session: %d %s\n", r.status, r.body.c_str());
  }
  std::mutex mu;
  std::vector<long long> got;
  std::vector<double> lat;
  got.reserve(total);
  lat.reserve(total);
  std::atomic<int> errors{0};
  auto t0 = Clk::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < 8; ++w)
    threads.emplace_back([&, w] {
      Client c(h.port(), tokens[w]);
      std::vector<long long> mine;
      std::vector<double> ms;
      std::string call = fmt::format("/api/v1/windows/{}/call-next", windows[w]);
      for (;;) {
        auto a = Clk::now();
        auto r = c.post(call, "{}");
        double d = std::chrono::duration<double, std::milli>(Clk::now() - a).count();
        if (r.status == 404) break;
        if (r.status != 200) {
          if (++errors < 5) std::fprintf(stderr, "call-next: %d %s\n", r.status, r.body.c_str());
          break;
        }
        ms.push_back(d);
        auto p = r.body.find("\"id\":");
        long long id = std::atoll(r.body.c_str() + p + 5);
        mine.push_back(id);
        auto ns = c.post(fmt::format("/api/v1/tickets/{}/no-show", id), "{}");
        if (ns.status != 200 && ++errors < 5) std::fprintf(stderr, "no-show: %d %s\n", ns.status, ns.body.c_str());
      }
      std::lock_guard lock(mu);
      got.insert(got.end(), mine.begin(), mine.end());
      lat.insert(lat.end(), ms.begin(), ms.end());
    });
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clk::now() - t0).count();
  CallFigures f;
  std::set<long long> unique(got.begin(), got.end());
  f.duplicates = static_cast<long long>(got.size() - unique.size());
  long long waiting_left = h.count("SELECT COUNT(*) FROM queue_tickets WHERE queue_group = 'N' AND status = 'waiting'");
  long long not_n = 0;
  for (long long id : unique)
    if (id < first_id || id >= first_id + total) ++not_n;
  // Lost: a ticket of the queue that no window received (or that is not with the window that got it).
  f.lost = total - (static_cast<long long>(unique.size()) - not_n);
  if (not_n) std::fprintf(stderr, "call-next: %lld calls returned tickets from outside the benchmark queue\n", not_n);
  long long served = h.count(fmt::format("SELECT COUNT(*) FROM queue_tickets WHERE queue_group = 'N' AND status = 'no_show'"));
  if (served != static_cast<long long>(unique.size()) - not_n)
    std::fprintf(stderr, "call-next: %lld tickets no-show in the store, %zu received\n", served, unique.size());
  if (waiting_left) std::fprintf(stderr, "call-next: %lld tickets still waiting\n", waiting_left);
  f.p99_ms = percentile(lat, 0.99);
  f.p50_ms = percentile(lat, 0.50);
  f.calls_per_s = static_cast<double>(got.size()) / secs;
  std::fprintf(stderr, "call-next: %zu calls by 8 windows in %.1f s (%.0f calls/s, each followed by a no-show), p50 %.2f ms, errors %d\n",
               got.size(), secs, f.calls_per_s, f.p50_ms, errors.load());
  return f;
}

struct PushFigures {
  int clients = 0;
  double p99_ms = 0, p50_ms = 0;
  long bytes_per_conn = 0;
};

PushFigures bench_push(BenchHall& h, int clients, int calls) {
  PushFigures f;
  long long item = make_item(h, "BENCH-PUSH", "P", {});
  long long window = h.count("SELECT id FROM windows WHERE hall_id = 1 AND number = 10");
  (void)item;
  // Window 10 (XSSW, the complaints window) serves the push item: staff09 opens it.
  h.app().db->write([&](soci::session& s) {
    long long version = 0;
    s << "SELECT current_version_id FROM catalog_items WHERE code = 'BENCH-PUSH'", soci::into(version);
    s << "INSERT INTO catalog_version_windows (version_id, window_id) VALUES (:v, :w)", soci::use(version), soci::use(window);
  });
  std::string staff = login(h, "staff09", "staff123");
  Client console(h.port(), staff);
  auto r = console.post(fmt::format("/api/v1/windows/{}/session", window), "{}");
  if (r.status != 201) std::fprintf(stderr, "push session: %d %s\n", r.status, r.body.c_str());
  long long push_item = h.count("SELECT id FROM catalog_items WHERE code = 'BENCH-PUSH'");
  Client kiosk(h.port(), "demo-kiosk-token-0001-hall-main");
  for (int i = 1; i <= calls; ++i)
    kiosk.post("/api/v1/tickets", fmt::format(R"({{"item_id":{},"student_no":"2023001{:03d}"}})", push_item, i),
               fmt::format("Idempotency-Key: bench-push-{:06d}\r\n", i));
  h.app().service<hall::queue::QueueService>().flush_live_updates();

  std::size_t heap0 = mallinfo2().uordblks;
  long rss0 = rss_kb();
  std::string req =
      "GET /api/v1/halls/1/board/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: "
      "Bearer demo-board-token-0001-hall-main\r\n\r\n";
  int ep = epoll_create1(0);
  std::vector<int> fds;
  std::vector<std::string> bufs(clients);
  for (int i = 0; i < clients; ++i) {
    int fd = connect_to(h.port());
    if (fd < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      --i;
      continue;
    }
    ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<std::uint32_t>(fds.size());
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    fds.push_back(fd);
    if (i % 200 == 199) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Wait until every stream has its snapshot.
  std::vector<epoll_event> events(1024);
  char tmp[65536];
  auto drain = [&](int timeout_ms, const std::function<void(std::size_t, const std::string&)>& on_data) {
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), timeout_ms);
    for (int k = 0; k < n; ++k) {
      std::size_t idx = events[k].data.u32;
      ssize_t got = ::recv(fds[idx], tmp, sizeof tmp, 0);
      if (got > 0) on_data(idx, std::string(tmp, static_cast<std::size_t>(got)));
    }
    return n;
  };
  int ready = 0;
  std::vector<bool> has_snapshot(clients, false);
  auto t_wait = Clk::now();
  while (ready < clients && Clk::now() - t_wait < std::chrono::seconds(60)) {
    drain(200, [&](std::size_t i, const std::string& d) {
      bufs[i] += d;
      if (!has_snapshot[i] && bufs[i].find("event: snapshot") != std::string::npos) {
        has_snapshot[i] = true;
        ++ready;
      }
    });
  }
  f.clients = ready;
  for (auto& b : bufs) std::string().swap(b);  // the client's own buffers do not count
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  long rss1 = rss_kb();
  std::size_t heap1 = mallinfo2().uordblks;
  // Heap held by the server for the idle streams (connection, coroutine frame, subscription,
  // buffers), measured in-process; kernel socket buffers are not included.
  f.bytes_per_conn = ready ? static_cast<long>((static_cast<long long>(heap1) - static_cast<long long>(heap0)) / ready) : 0;

  std::vector<double> lat;
  for (int c = 0; c < calls; ++c) {
    std::vector<bool> seen(clients, false);
    int got = 0;
    std::string marker = fmt::format("\"ticket_number\":\"{}\"", queue::format_number("P", c + 1));
    auto t0 = Clk::now();
    std::thread caller([&] {
      auto rr = console.post(fmt::format("/api/v1/windows/{}/call-next", window), "{}");
      if (rr.status != 200) std::fprintf(stderr, "push call: %d %s\n", rr.status, rr.body.c_str());
      auto p = rr.body.find("\"id\":");
      long long id = std::atoll(rr.body.c_str() + p + 5);
      console.post(fmt::format("/api/v1/tickets/{}/no-show", id), "{}");
    });
    while (got < ready && Clk::now() - t0 < std::chrono::seconds(10)) {
      drain(100, [&](std::size_t i, const std::string& d) {
        bufs[i] += d;
        if (!seen[i] && bufs[i].find(marker) != std::string::npos) {
          seen[i] = true;
          ++got;
          lat.push_back(std::chrono::duration<double, std::milli>(Clk::now() - t0).count());
          bufs[i].clear();
        }
        if (bufs[i].size() > 65536) bufs[i].erase(0, bufs[i].size() - 4096);
      });
    }
    caller.join();
    if (got < ready) std::fprintf(stderr, "push: call %d reached %d of %d streams\n", c + 1, got, ready);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  f.p99_ms = percentile(lat, 0.99);
  f.p50_ms = percentile(lat, 0.50);
  std::fprintf(stderr, "push: %d streams, %d calls, %zu deliveries, p50 %.1f ms, RSS +%ld KiB, heap +%ld B per stream\n", ready,
               calls, lat.size(), f.p50_ms, rss1 - rss0, f.bytes_per_conn);
  for (int fd : fds) ::close(fd);
  ::close(ep);
  return f;
}

}  // namespace

int main() {
  int take_n = env_int("QUEUE_BENCH_TAKE", 20000);
  int take_clients = env_int("QUEUE_BENCH_TAKE_CLIENTS", 64);
  int calls = env_int("QUEUE_BENCH_CALLS", 100000);
  int push_clients = env_int("QUEUE_BENCH_PUSH_CLIENTS", 2000);
  int push_calls = env_int("QUEUE_BENCH_PUSH_CALLS", 20);
  // A Wednesday morning with the hall open (the queue refuses numbers when it is closed).
  Clock::pin(parse_iso8601("2026-11-25T10:00:00+08:00", "t"));
  BenchHall h(env_int("QUEUE_BENCH_WORKERS", 64));
  std::string dir = h.dir;

  double ceiling_before = bench_ceiling(dir, 2.0);
  double take = bench_take(h, take_n, take_clients);
  double ceiling_after = bench_ceiling(dir, 2.0);
  std::printf("take_tickets_per_s %.0f\n", take);
  std::printf("ceiling_sqlite_inserts_per_s %.0f\n", (ceiling_before + ceiling_after) / 2);
  // Context: CPU per ticket (server and load generator together) and the machine's load.
  std::printf("take_cpu_us_per_ticket %.0f\n", g_take_cpu_us);
  double load[1] = {0};
  getloadavg(load, 1);
  std::printf("load_average_1m %.1f\n", load[0]);
  std::fflush(stdout);

  auto cf = bench_call_next(h, calls);
  std::printf("call_next_duplicates %lld\n", cf.duplicates);
  std::printf("call_next_lost %lld\n", cf.lost);
  std::printf("call_next_p99_ms %.2f\n", cf.p99_ms);
  std::fflush(stdout);

  auto pf = bench_push(h, push_clients, push_calls);
  std::printf("push_clients %d\n", pf.clients);
  std::printf("push_p99_ms %.1f\n", pf.p99_ms);
  std::printf("push_idle_bytes_per_conn %ld\n", pf.bytes_per_conn);
  std::fflush(stdout);
  Clock::unpin();
  return 0;
}
