// The client's address when Hall runs behind reverse proxies (nginx, a campus
// load balancer). Rate limits are kept per client address, so behind a proxy
// every client would share the proxy's address and one person's failures would
// lock out the whole campus. X-Forwarded-For is honoured only when the peer is
// a configured trusted proxy (`[server] trusted_proxies`); anyone else could
// write any address into that header.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace hall::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Entries: addresses ("10.0.0.5", "::1") or networks ("10.0.0.0/8", "fd00::/8");
  // throws std::invalid_argument naming the first entry that is neither.
  explicit TrustedProxies(const std::vector<std::string>& entries);
  bool empty() const { return nets_.empty(); }
  bool trusts(const std::string& address) const;
  // The client: the peer itself unless it is a trusted proxy; then the
  // X-Forwarded-For list is read from the right (the hop nearest to us),
  // skipping trusted proxies, and the first other address is the client. A
  // malformed entry stops the walk at the last address known good.
  std::string client(const std::string& peer, const std::string& x_forwarded_for) const;

 private:
  struct Net {
    std::array<unsigned char, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    int prefix = 128;
  };
  std::vector<Net> nets_;
};

}  // namespace hall::http
