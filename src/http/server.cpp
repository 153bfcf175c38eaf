// The one translation unit that includes Boost.Beast (build time matters on 2 cores).
#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/errors.hpp"

namespace hall::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

struct Connection {
  beast::tcp_stream stream;
  std::atomic<bool> busy{false};
  std::function<void()>
      on_stop;  // wakes an event stream when the server stops (runs on the strand)
  explicit Connection(tcp::socket s) : stream(std::move(s)) {}
};

struct Server::Impl {
  ServerOptions opt;
  const Dispatcher& dispatcher;
  Metrics& metrics;
  // One io_context per I/O thread (like nginx's worker processes): a
  // connection lives on one thread, so reads, writes and timers never hop
  // between threads and need no strand. ios[0] also accepts and stops.
  std::vector<std::unique_ptr<asio::io_context>> ios;
  asio::io_context& io;
  asio::thread_pool workers;
  tcp::acceptor acceptor{io};
  asio::signal_set signals{io};
  std::atomic<bool> stopping{false};
  std::mutex conn_mu;
  std::set<std::shared_ptr<Connection>> connections;
  std::atomic<int> active{0};
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::atomic<bool> guards_released{false};
  std::atomic<bool> finished{false};
  std::thread stopper;

  static std::vector<std::unique_ptr<asio::io_context>> make_ios(const ServerOptions& o) {
    int n = o.io_threads > 0 ? o.io_threads
                             : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::unique_ptr<asio::io_context>> v;
    for (int k = 0; k < n; ++k) v.push_back(std::make_unique<asio::io_context>(1));
    return v;
  }

  Impl(ServerOptions o, const Dispatcher& d, Metrics& m)
      : opt(std::move(o)),
        dispatcher(d),
        metrics(m),
        ios(make_ios(opt)),
        io(*ios[0]),
        workers(std::max(1, opt.worker_threads)) {}

  // Lets every io_context's run() return once nothing is left to do (after stop).
  void release_guards() {
    if (guards_released.exchange(true)) return;
    for (auto& g : guards) g.reset();
  }
  void stop_all() {
    for (auto& c : ios) c->stop();
  }

  awaitable<void> accept_loop() {
    for (std::size_t next = 0;; ++next) {
      boost::system::error_code ec;
      tcp::socket socket(*ios[next % ios.size()]);  // round robin over the I/O threads
      co_await acceptor.async_accept(socket, asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        spdlog::warn("accept failed: {}", ec.message());
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      auto conn = std::make_shared<Connection>(std::move(socket));
      {
        std::lock_guard lock(conn_mu);
        connections.insert(conn);
      }
      active.fetch_add(1);
      metrics.connection_opened();
      auto ex = conn->stream.get_executor();
      asio::co_spawn(ex, serve(conn), [this, conn](std::exception_ptr) {
        {
          std::lock_guard lock(conn_mu);
          connections.erase(conn);
        }
        metrics.connection_closed();
        if (active.fetch_sub(1) == 1 && stopping) release_guards();
      });
    }
  }

  static Response plain_error(const ApiError& e) { return Response::error(e, false); }

  awaitable<void> serve(std::shared_ptr<Connection> conn) {
    beast::flat_buffer buffer;
    std::string remote;
    {
      boost::system::error_code ec;
      auto ep = conn->stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    for (;;) {
      if (stopping) break;
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
      parser.body_limit(opt.max_request_body);
      conn->stream.expires_after(std::chrono::seconds(opt.idle_timeout_seconds));
      boost::system::error_code ec;
      co_await bhttp::async_read_header(conn->stream, buffer, parser,
                                        asio::redirect_error(use_awaitable, ec));
      if (!ec) {
        conn->busy = true;
        conn->stream.expires_after(std::chrono::seconds(opt.request_timeout_seconds));
        if (parser.get()[bhttp::field::expect] == "100-continue" && !parser.is_done()) {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
          co_await bhttp::async_write(conn->stream, cont, asio::redirect_error(use_awaitable, ec));
        }
        if (!ec && !parser.is_done())
          co_await bhttp::async_read(conn->stream, buffer, parser,
                                     asio::redirect_error(use_awaitable, ec));
      }
      auto started = std::chrono::steady_clock::now();
      if (ec) {
        if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
            ec == asio::error::operation_aborted || ec == beast::error::timeout ||
            ec == asio::error::connection_reset || ec == asio::error::bad_descriptor)
          break;
        Response r;
        if (ec == bhttp::error::body_limit)
          r = plain_error(errors::payload_too_large.with("", opt.max_request_body));
        else if (ec == bhttp::error::header_limit)
          r = plain_error(errors::headers_too_large());
        else
          r = plain_error(errors::bad_http_request());
        co_await write_response(conn, r, false, false);
        metrics.record("?", "?", r.status, 0);
        co_await linger(conn);
        break;
      }
      auto& msg = parser.get();
      Request req;
      req.method = std::string(msg.method_string());
      req.target = std::string(msg.target());
      auto q = req.target.find('?');
      req.path = url_decode(req.target.substr(0, q), false);
      if (q != std::string::npos) {
        std::string qs = req.target.substr(q + 1);
        std::size_t pos = 0;
        while (pos <= qs.size()) {
          std::size_t amp = qs.find('&', pos);
          std::string pair =
              qs.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
          pos = amp == std::string::npos ? qs.size() + 1 : amp + 1;
          if (pair.empty()) continue;
          auto eq = pair.find('=');
          req.query.emplace(
              url_decode(pair.substr(0, eq), true),
              eq == std::string::npos ? std::string() : url_decode(pair.substr(eq + 1), true));
        }
      }
      for (const auto& f : msg) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
        auto [it, inserted] = req.headers.emplace(name, std::string(f.value()));
        if (!inserted) it->second += (name == "cookie" ? "; " : ", ") + std::string(f.value());
      }
      req.body = std::move(msg.body());
      req.remote_address = remote;
      req.english = prefers_english(req.header("accept-language"));
      bool keep_alive = msg.keep_alive();
      unsigned version = msg.version();

      // Most handlers block on the database: they run on the worker pool, then
      // come back to this connection's I/O thread to write. Light routes (no
      // blocking), refusals and static files are answered here on the I/O thread.
      Dispatcher::Match match = dispatcher.match(req);
      Response resp;
      if (match.light())
        resp = dispatcher.handle(req, match);
      else
        resp = co_await asio::co_spawn(
            workers.get_executor(),
            [this, &req, &match]() -> awaitable<Response> {
              co_return dispatcher.handle(req, match);
            },
            use_awaitable);
      bool head = req.method == "HEAD";
      bool ok = co_await write_response(conn, resp, keep_alive && !stopping, head, version);
      double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      metrics.record(req.method, req.route, resp.status, secs);
      if (opt.access_log)
        spdlog::info(
            R"({{"remote":"{}","method":"{}","path":"{}","route":"{}","status":{},"ms":{:.2f},"user":"{}"}})",
            remote, req.method, req.path, req.route, resp.status, secs * 1000, req.principal.login);
      if (ok && !resp.sse_topics.empty() && opt.push) {
        std::string last = req.header("last-event-id");
        std::uint64_t since = resp.sse_since;
        if (!last.empty()) since = std::strtoull(last.c_str(), nullptr, 10);
        conn->busy = false;
        co_await stream_events(conn, resp, since);
        break;
      }
      conn->busy = false;
      if (!ok || !keep_alive || stopping) break;
    }
    boost::system::error_code ignored;
    conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    conn->stream.socket().close(ignored);
  }

  // The event-stream half of a Server-Sent Events response (headers were
  // written by write_response): snapshot, replay of missed events, then live
  // events and a heartbeat comment so dead peers are noticed and proxies keep the line.
  struct SseState {
    std::mutex mu;
    std::string pending;
    bool closed = false;
    asio::steady_timer wake;
    explicit SseState(asio::any_io_executor ex) : wake(ex) {}
  };

  awaitable<void> stream_events(std::shared_ptr<Connection> conn, Response& resp,
                                std::uint64_t since) {
    auto state = std::make_shared<SseState>(conn->stream.get_executor());
    std::weak_ptr<SseState> weak = state;
    conn->on_stop = [weak] {
      if (auto st = weak.lock()) st->wake.cancel();
    };
    auto ex = conn->stream.get_executor();
    PushHub::Replay replay;
    auto sub = opt.push->subscribe(
        resp.sse_topics,
        [weak, ex](const PushEvent& e) {
          auto st = weak.lock();
          if (!st) return;
          std::lock_guard lock(st->mu);
          if (st->closed) return;
          bool was_empty = st->pending.empty();
          st->pending += format_sse(e);
          if (st->pending.size() > (1 << 20)) st->closed = true;  // a client that stopped reading
          if (was_empty) asio::post(ex, [st] { st->wake.cancel(); });
        },
        since, &replay);
    {
      std::string first = "retry: 2000\n\n";
      if (!resp.body.empty()) first += format_sse(PushEvent{since, "", "snapshot", resp.body});
      if (replay.reset) first += format_sse(PushEvent{opt.push->last_id(), "", "reset", "{}"});
      for (const auto& e : replay.missed) first += format_sse(e);
      std::lock_guard lock(state->mu);
      state->pending = first + state->pending;
    }
    boost::system::error_code ec;
    while (!stopping) {
      std::string out;
      {
        std::lock_guard lock(state->mu);
        if (state->closed) break;
        out.swap(state->pending);
      }
      if (out.empty()) {
        state->wake.expires_after(std::chrono::seconds(opt.sse_heartbeat_seconds));
        boost::system::error_code wait_ec;
        co_await state->wake.async_wait(asio::redirect_error(use_awaitable, wait_ec));
        if (!wait_ec)
          out = ": ping\n\n";  // timer expired: heartbeat
        else
          continue;  // woken by an event (or stop)
      }
      conn->stream.expires_after(std::chrono::seconds(opt.request_timeout_seconds));
      co_await asio::async_write(conn->stream, asio::buffer(out),
                                 asio::redirect_error(use_awaitable, ec));
      if (ec) break;
      conn->stream.expires_never();
    }
    {
      std::lock_guard lock(state->mu);
      state->closed = true;
    }
    opt.push->unsubscribe(sub);
  }

  // After refusing a request whose bytes may still be arriving (413, 431, 400),
  // stop sending and read and discard what the client still sends, for a short
  // while: closing a socket with unread data makes the kernel send a reset,
  // which can destroy the error response before the client has read it.
  awaitable<void> linger(std::shared_ptr<Connection> conn) {
    boost::system::error_code ec;
    conn->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn->stream.expires_after(std::chrono::seconds(2));
    std::array<char, 16384> sink;
    std::size_t total = 0;
    while (!ec && total < (64u << 20))
      total += co_await conn->stream.async_read_some(asio::buffer(sink),
                                                     asio::redirect_error(use_awaitable, ec));
  }

  awaitable<bool> write_response(std::shared_ptr<Connection> conn, Response& r, bool keep_alive,
                                 bool head, unsigned version = 11) {
    boost::system::error_code ec;
    auto fill = [&](auto& res) {
      res.version(version);
      res.result(static_cast<unsigned>(r.status));
      res.set(bhttp::field::server, "hall");
      if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
      res.set("X-Content-Type-Options", "nosniff");
      for (auto& [k, v] : r.headers) res.insert(k, v);
      res.keep_alive(keep_alive);
    };
    if (!r.file_path.empty()) {
      bhttp::response<bhttp::file_body> res;
      fill(res);
      res.body().open(r.file_path.c_str(), beast::file_mode::scan, ec);
      if (ec) {
        Response nf = plain_error(errors::not_found.with("", Text{"文件", "file"}));
        co_return co_await write_response(conn, nf, keep_alive, head, version);
      }
      res.prepare_payload();
      if (head) {
        bhttp::response_serializer<bhttp::file_body> sr{res};
        co_await bhttp::async_write_header(conn->stream, sr,
                                           asio::redirect_error(use_awaitable, ec));
      } else {
        co_await bhttp::async_write(conn->stream, res, asio::redirect_error(use_awaitable, ec));
      }
    } else {
      bhttp::response<bhttp::string_body> res;
      fill(res);
      if (!r.sse_topics.empty()) {
        // An event stream has no length: it ends when the connection closes.
        res.set(bhttp::field::content_type, "text/event-stream; charset=utf-8");
        res.set(bhttp::field::cache_control, "no-store");
        res.set("X-Accel-Buffering", "no");
        res.keep_alive(false);
        bhttp::response_serializer<bhttp::string_body> sr{res};
        co_await bhttp::async_write_header(conn->stream, sr,
                                           asio::redirect_error(use_awaitable, ec));
        co_return !ec;
      }
      // The common case, a body in memory: the head is written by hand and
      // sent with the body in one writev (Beast's serializer cost more than the
      // rest of a small request put together; see docs/benchmarks.md).
      std::string out = response_head(r, keep_alive, version);
      bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
      std::array<asio::const_buffer, 2> bufs{asio::buffer(out), asio::buffer(r.body)};
      if (head || bodiless) bufs[1] = asio::const_buffer();
      co_await asio::async_write(conn->stream, bufs, asio::redirect_error(use_awaitable, ec));
    }
    co_return !ec;
  }

  static void append_clean(std::string& out, std::string_view v) {
    for (char c : v)
      if (c != '\r' && c != '\n') out.push_back(c);  // no header injection through values
  }

  static std::string response_head(const Response& r, bool keep_alive, unsigned version) {
    std::string out;
    out.reserve(160 + r.content_type.size() + r.headers.size() * 48);
    out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out += std::to_string(r.status);
    out += ' ';
    out += bhttp::obsolete_reason(static_cast<bhttp::status>(r.status));
    out += "\r\nServer: hall\r\n";
    if (!r.content_type.empty()) {
      out += "Content-Type: ";
      append_clean(out, r.content_type);
      out += "\r\n";
    }
    out += "X-Content-Type-Options: nosniff\r\n";
    for (const auto& [k, v] : r.headers) {
      append_clean(out, k);
      out += ": ";
      append_clean(out, v);
      out += "\r\n";
    }
    if (!(r.status < 200 || r.status == 204 || r.status == 304)) {
      out += "Content-Length: ";
      out += std::to_string(r.body.size());
      out += "\r\n";
    }
    if (!keep_alive)
      out += "Connection: close\r\n";
    else if (version == 10)
      out += "Connection: keep-alive\r\n";
    out += "\r\n";
    return out;
  }

  void begin_stop() {
    if (stopping.exchange(true)) return;
    asio::post(io, [this] {
      boost::system::error_code ec;
      acceptor.close(ec);
      signals.cancel(ec);
      std::lock_guard lock(conn_mu);
      for (auto& c : connections) {
        if (!c->busy) {
          asio::post(c->stream.get_executor(), [c] {
            boost::system::error_code e;
            c->stream.socket().cancel(e);
            if (c->on_stop) c->on_stop();
          });
        }
      }
      if (active.load() == 0) release_guards();
    });
    // In-flight requests get at most the request timeout; then the loop stops anyway.
    stopper = std::thread([this] {
      for (int i = 0; i < opt.request_timeout_seconds * 100 && !finished; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      stop_all();
    });
  }
};

Server::Server(ServerOptions options, const Dispatcher& dispatcher, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), dispatcher, metrics)) {}

Server::~Server() {
  impl_->finished = true;
  if (impl_->stopper.joinable()) impl_->stopper.join();
  impl_->stop_all();
  impl_->workers.join();
}

unsigned short Server::listen() {
  auto& i = *impl_;
  tcp::endpoint ep(asio::ip::make_address(i.opt.host), i.opt.port);
  i.acceptor.open(ep.protocol());
  i.acceptor.set_option(asio::socket_base::reuse_address(true));
  i.acceptor.bind(ep);
  i.acceptor.listen(asio::socket_base::max_listen_connections);
  return i.acceptor.local_endpoint().port();
}

void Server::run() {
  auto& i = *impl_;
  for (auto& c : i.ios) i.guards.push_back(asio::make_work_guard(*c));
  if (i.opt.handle_signals) {
    i.signals.add(SIGINT);
    i.signals.add(SIGTERM);
    i.signals.async_wait([&i](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      spdlog::info("signal {} received: finishing in-flight requests and stopping", sig);
      i.begin_stop();
    });
  }
  asio::co_spawn(i.io, i.accept_loop(), asio::detached);
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < i.ios.size(); ++t) threads.emplace_back([&i, t] { i.ios[t]->run(); });
  i.io.run();
  for (auto& t : threads) t.join();
  i.finished = true;
}

void Server::stop() { impl_->begin_stop(); }

}  // namespace hall::http
