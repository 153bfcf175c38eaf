// A raw HTTP/1.1 client on one TCP connection, for what the shared helper
// (one request per connection) cannot do: keep-alive, slow bodies, 100-continue,
// and watching a connection close.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

#include "support/test_support.hpp"

namespace hall::test {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& k) const {
    auto it = headers.find(k);
    return it == headers.end() ? "" : it->second;
  }
};

class RawConnection {
 public:
  explicit RawConnection(unsigned short port) : fd_(connect_loopback(port)) {}
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  static bool can_connect(unsigned short port) {
    try {
      RawConnection c(port);
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  void send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      sent += static_cast<std::size_t>(n);
    }
  }

  // Reads one response (its Content-Length body; none for a 1xx, an event stream, or when head_request).
  // Waits at most timeout_ms for each piece; throws on timeout or close.
  RawResponse read_response(bool head_request = false, int timeout_ms = 10000) {
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) fill(timeout_ms);
    RawResponse r;
    std::string head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    r.status = parse_response_head(head, r.headers);
    if ((r.status >= 100 && r.status < 200) || head_request) return r;
    if (r.header("content-type").rfind("text/event-stream", 0) == 0) return r;  // endless: the caller reads on
    std::size_t length = std::strtoul(r.header("content-length").c_str(), nullptr, 10);
    while (buf_.size() < length) fill(timeout_ms);
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return r;
  }

  // True when the server closed the connection (EOF or reset) within timeout_ms.
  bool closed_by_peer(int timeout_ms = 10000) {
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, timeout_ms) <= 0) return false;
      char c[4096];
      ssize_t n = ::recv(fd_, c, sizeof c, 0);
      if (n <= 0) return true;
      buf_.append(c, static_cast<std::size_t>(n));
    }
  }

 private:
  void fill(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) throw std::runtime_error("timed out waiting for the server");
    char c[65536];
    ssize_t n = ::recv(fd_, c, sizeof c, 0);
    if (n <= 0) throw std::runtime_error("connection closed by the server");
    buf_.append(c, static_cast<std::size_t>(n));
  }
  int fd_ = -1;
  std::string buf_;
};

}  // namespace hall::test
