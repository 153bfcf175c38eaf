#include "feedback/wechat.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <memory>
#include <pugixml.hpp>
#include <stdexcept>

namespace hall::feedback::wechat {

std::string sha1_hex(std::string_view data) {
  unsigned char md[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : md) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

std::string signature(std::vector<std::string> parts) {
  std::sort(parts.begin(), parts.end());
  std::string all;
  for (const auto& p : parts) all += p;
  return sha1_hex(all);
}

namespace {
const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

std::optional<std::string> base64_decode(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = in[i + k];
      if (c == '=') {
        if (i + 4 != in.size() || k < 2) return std::nullopt;
        v[k] = 0;
        ++pad;
      } else {
        if (pad) return std::nullopt;
        v[k] = b64_value(c);
        if (v[k] < 0) return std::nullopt;
      }
    }
    unsigned n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out += static_cast<char>((n >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  return out;
}

std::string base64_encode(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += kB64[n & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += i + 1 < in.size() ? kB64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Crypt::Crypt(std::string_view encoding_aes_key) {
  if (encoding_aes_key.size() != 43) throw std::invalid_argument("wechat encoding_aes_key must have 43 characters");
  auto k = base64_decode(std::string(encoding_aes_key) + "=");
  if (!k || k->size() != 32) throw std::invalid_argument("wechat encoding_aes_key is not valid Base64");
  key_ = *k;
}

namespace {
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::optional<std::string> aes(const std::string& key, std::string_view in, bool enc) {
  CtxPtr ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx) return std::nullopt;
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, k, k, enc ? 1 : 0) != 1) return std::nullopt;
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  std::string out(in.size() + 32, '\0');
  int len = 0, fin = 0;
  if (EVP_CipherUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                       reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size())) != 1)
    return std::nullopt;
  if (EVP_CipherFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &fin) != 1)
    return std::nullopt;
  out.resize(static_cast<std::size_t>(len + fin));
  return out;
}
}  // namespace

std::optional<Decrypted> Crypt::decrypt(std::string_view encrypt_b64) const {
  auto raw = base64_decode(encrypt_b64);
  if (!raw || raw->empty() || raw->size() % 16 != 0) return std::nullopt;
  auto plain = aes(key_, *raw, false);
  if (!plain || plain->empty()) return std::nullopt;
  unsigned pad = static_cast<unsigned char>(plain->back());
  if (pad < 1 || pad > 32 || pad > plain->size()) return std::nullopt;
  for (std::size_t i = plain->size() - pad; i < plain->size(); ++i)
    if (static_cast<unsigned char>((*plain)[i]) != pad) return std::nullopt;
  plain->resize(plain->size() - pad);
  if (plain->size() < 20) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(plain->data()) + 16;
  std::size_t len = (std::size_t(p[0]) << 24) | (std::size_t(p[1]) << 16) | (std::size_t(p[2]) << 8) | p[3];
  if (len > plain->size() - 20) return std::nullopt;
  return Decrypted{plain->substr(20, len), plain->substr(20 + len)};
}

std::string Crypt::encrypt(std::string_view message, std::string_view app_id, std::string random16) const {
  if (random16.size() != 16) {
    random16.assign(16, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(random16.data()), 16);
  }
  std::string plain = random16;
  std::uint32_t n = static_cast<std::uint32_t>(message.size());
  plain += static_cast<char>((n >> 24) & 0xff);
  plain += static_cast<char>((n >> 16) & 0xff);
  plain += static_cast<char>((n >> 8) & 0xff);
  plain += static_cast<char>(n & 0xff);
  plain += message;
  plain += app_id;
  std::size_t pad = 32 - plain.size() % 32;
  plain.append(pad, static_cast<char>(pad));
  return base64_encode(*aes(key_, plain, true));
}

std::optional<std::map<std::string, std::string>> parse_xml(std::string_view xml) {
  pugi::xml_document doc;
  // No DOCTYPE/entity expansion beyond XML's five predefined entities (pugixml never loads external ones).
  auto res = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default & ~pugi::parse_doctype);
  if (!res) return std::nullopt;
  auto root = doc.child("xml");
  if (!root || root.next_sibling()) return std::nullopt;
  std::map<std::string, std::string> out;
  for (auto c : root.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string v;  // every text and CDATA piece ("a]]]]><![CDATA[>b" is two CDATA sections)
    for (auto t : c.children())
      if (t.type() == pugi::node_pcdata || t.type() == pugi::node_cdata) v += t.value();
    out[c.name()] = v;
  }
  return out;
}

namespace {
std::string cdata(const std::string& s) {
  std::string out = "<![CDATA[";
  std::size_t pos = 0;
  for (;;) {
    auto f = s.find("]]>", pos);
    if (f == std::string::npos) break;
    out += s.substr(pos, f + 2 - pos) + "]]><![CDATA[";
    pos = f + 2;
  }
  out += s.substr(pos) + "]]>";
  return out;
}
}  // namespace

std::string text_reply(const std::string& to_user, const std::string& from_user, long long create_time,
                       const std::string& content) {
  return "<xml><ToUserName>" + cdata(to_user) + "</ToUserName><FromUserName>" + cdata(from_user) +
         "</FromUserName><CreateTime>" + std::to_string(create_time) + "</CreateTime><MsgType>" + cdata("text") +
         "</MsgType><Content>" + cdata(content) + "</Content></xml>";
}

std::string encrypted_reply(const std::string& encrypt, const std::string& msg_signature,
                            const std::string& timestamp, const std::string& nonce) {
  return "<xml><Encrypt>" + cdata(encrypt) + "</Encrypt><MsgSignature>" + cdata(msg_signature) +
         "</MsgSignature><TimeStamp>" + timestamp + "</TimeStamp><Nonce>" + cdata(nonce) + "</Nonce></xml>";
}

}  // namespace hall::feedback::wechat
