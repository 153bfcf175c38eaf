// The HTTP server: Boost.Beast over Asio with C++20 coroutines. This header is
// free of Beast so that only server.cpp pays its compile time.
// - I/O threads (one per core) parse and write; handlers run on a worker pool
//   because they block on the database.
// - HTTP/1.1 keep-alive; limits on header and body size; idle and request timeouts.
// - stop() is graceful: no new connections, idle connections closed, in-flight
//   requests finish and are answered (SIGTERM/SIGINT call it in `hall serve`).
#pragma once

#include <memory>
#include <string>

#include "http/metrics.hpp"
#include "http/push.hpp"
#include "http/router.hpp"

namespace hall::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (tests)
  int io_threads = 0;          // 0: one per core
  int worker_threads = 16;
  std::size_t max_request_body = 10 << 20;  // the largest upload; JSON limits are per route
  std::size_t max_header_bytes = 16 << 10;
  int request_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  bool access_log = true;
  bool handle_signals = false;  // SIGINT/SIGTERM → stop()
  PushHub* push = nullptr;      // for Server-Sent Events responses
  int sse_heartbeat_seconds = 15;
};

class Server {
 public:
  Server(ServerOptions options, const Dispatcher& dispatcher, Metrics& metrics);
  ~Server();
  // Binds and listens; returns the bound port. Throws with the reason on failure.
  unsigned short listen();
  // Serves until stop() (or a signal) and every in-flight request has been answered.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hall::http
