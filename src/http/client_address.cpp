#include "http/client_address.hpp"

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <stdexcept>

namespace hall::http {

namespace {

namespace ip = boost::asio::ip;

std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}

// An address as 16 bytes (IPv4 mapped into IPv6), or nullopt when it is none.
std::optional<std::array<unsigned char, 16>> bytes_of(const std::string& text) {
  boost::system::error_code ec;
  ip::address a = ip::make_address(text, ec);
  if (ec) return std::nullopt;
  if (a.is_v4()) return ip::make_address_v6(ip::v4_mapped, a.to_v4()).to_bytes();
  return a.to_v6().to_bytes();
}

}  // namespace

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const auto& raw : entries) {
    std::string e = trim(raw);
    auto slash = e.find('/');
    std::string addr = e.substr(0, slash);
    auto b = bytes_of(addr);
    Net n;
    bool v4 = addr.find(':') == std::string::npos;
    int max = v4 ? 32 : 128;
    int prefix = max;
    if (slash != std::string::npos) {
      std::string p = e.substr(slash + 1);
      if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos)
        b.reset();
      else
        prefix = std::stoi(p);
    }
    if (!b || prefix > max)
      throw std::invalid_argument("not an address or network: \"" + raw + "\"");
    n.bytes = *b;
    n.prefix = v4 ? prefix + 96 : prefix;
    nets_.push_back(n);
  }
}

bool TrustedProxies::trusts(const std::string& address) const {
  if (nets_.empty()) return false;
  auto b = bytes_of(trim(address));
  if (!b) return false;
  for (const auto& n : nets_) {
    bool in = true;
    for (int bit = 0; bit < n.prefix && in; bit += 8) {
      int bits = std::min(8, n.prefix - bit);
      unsigned char mask = static_cast<unsigned char>(0xFF << (8 - bits));
      in = ((*b)[static_cast<std::size_t>(bit / 8)] & mask) ==
           (n.bytes[static_cast<std::size_t>(bit / 8)] & mask);
    }
    if (in) return true;
  }
  return false;
}

std::string TrustedProxies::client(const std::string& peer, const std::string& xff) const {
  if (!trusts(peer)) return peer;
  std::string client = peer;
  std::size_t end = xff.size();
  while (end > 0) {
    std::size_t comma = xff.rfind(',', end - 1);
    std::size_t start = comma == std::string::npos ? 0 : comma + 1;
    std::string hop = trim(xff.substr(start, end - start));
    if (!bytes_of(hop)) break;  // malformed: keep the last good address
    client = hop;
    if (!trusts(hop)) break;
    if (comma == std::string::npos) break;
    end = comma;
  }
  return client;
}

}  // namespace hall::http
