// Reads a Server-Sent Events stream of the test server over a raw socket
// (the board, a window's console, a ticket, a staff member's notifications).
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "support/test_support.hpp"

namespace hall::test {

class SseReader {
 public:
  SseReader(unsigned short port, const std::string& path, const std::string& bearer = "") {
    fd_ = connect_loopback(port);
    std::string req =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    if (!bearer.empty()) req += "Authorization: Bearer " + bearer + "\r\n";
    req += "\r\n";
    ::send(fd_, req.data(), req.size(), MSG_NOSIGNAL);
  }
  ~SseReader() { ::close(fd_); }
  // Reads until `needle` appears (true) or the timeout passes (false). Everything read stays in
  // text().
  bool wait_for(const std::string& needle, int timeout_ms = 3000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (buf_.find(needle, scanned_) == std::string::npos) {
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      deadline - std::chrono::steady_clock::now())
                                      .count());
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

}  // namespace hall::test
