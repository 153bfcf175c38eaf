#include "test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sys/time.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <random>

#include <soci/postgresql/soci-postgresql.h>

#include "auth/password.hpp"
#include "demo/seed.hpp"

namespace hall::test {

namespace fs = std::filesystem;

std::vector<std::string> backends() {
  std::vector<std::string> out{"sqlite"};
  const char* pg = std::getenv("HALL_TEST_PG_URL");
  if (pg && *pg) out.push_back("postgresql");
  else if (const char* req = std::getenv("HALL_TEST_REQUIRE_PG"); req && std::string(req) == "1")
    out.push_back("postgresql-missing");  // fails loudly in fresh_db_url
  return out;
}

std::string source_path(const std::string& relative) { return source_dir() + "/" + relative; }

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    auto next = text.find(separator, pos);
    out.push_back(text.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) return out;
    pos = next + 1;
  }
}

std::vector<TsvRow> read_tsv(const std::string& relative_path, std::size_t min_cells, std::size_t max_cells) {
  std::ifstream in(source_path(relative_path));
  EXPECT_TRUE(in.good()) << relative_path << " not found";
  std::vector<TsvRow> rows;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    TsvRow r{relative_path, n, split(line, '\t')};
    EXPECT_GE(r.cells.size(), min_cells) << r.where() << ": too few cells";
    EXPECT_LE(r.cells.size(), max_cells) << r.where() << ": too many cells";
    while (r.cells.size() < min_cells) r.cells.emplace_back();
    rows.push_back(std::move(r));
  }
  EXPECT_FALSE(rows.empty()) << relative_path << " has no rows";
  return rows;
}

std::string read_text(const std::string& relative_path) {
  std::ifstream in(source_path(relative_path), std::ios::binary);
  EXPECT_TRUE(in.good()) << relative_path << " not found";
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void use_fast_password_hashing() { auth::set_hash_cost({1, 1u << 20}); }

static std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}

std::string fresh_db_url(const std::string& backend) {
  if (backend == "sqlite") {
    fs::path dir = fs::temp_directory_path() / "hall-tests";
    fs::create_directories(dir);
    return "sqlite:" + (dir / ("t_" + unique_suffix() + ".db")).string();
  }
  const char* pg = std::getenv("HALL_TEST_PG_URL");
  if (!pg || !*pg) throw std::runtime_error("HALL_TEST_REQUIRE_PG=1 but HALL_TEST_PG_URL is not set");
  std::string base = pg;
  std::string schema = "t_" + unique_suffix();
  {
    std::string admin_url = base + (base.find('?') == std::string::npos ? "?application_name=hall-tests" : "");
    soci::session s(*soci::factory_postgresql(), admin_url);
    s << "CREATE SCHEMA " + schema;
  }
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

json::value HttpResponse::json() const {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec) throw std::runtime_error("response is not JSON: " + body.substr(0, 200));
  return v;
}
std::string HttpResponse::error_code() const {
  try {
    auto v = json();
    return std::string(v.at("error").at("code").as_string());
  } catch (...) {
    return "";
  }
}
std::string HttpResponse::error_field() const {
  try {
    auto v = json();
    auto* f = v.at("error").as_object().if_contains("field");
    return f && f->is_string() ? std::string(f->as_string()) : "";
  } catch (...) {
    return "";
  }
}
std::string HttpResponse::header(const std::string& lower) const {
  auto it = headers.find(lower);
  return it == headers.end() ? "" : it->second;
}

int parse_response_head(const std::string& head, std::map<std::string, std::string>& headers) {
  std::size_t pos = head.find("\r\n");
  while (pos != std::string::npos && pos < head.size()) {
    std::size_t next = head.find("\r\n", pos + 2);
    std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      headers[name] = value;
    }
    pos = next;
  }
  return head.size() >= 12 ? std::atoi(head.substr(9, 3).c_str()) : 0;
}

int connect_loopback(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to the test server on port " + std::to_string(port));
  }
  return fd;
}

static HttpResponse parse_response(const std::string& raw) {
  HttpResponse r;
  auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos) throw std::runtime_error("no HTTP response: " + raw.substr(0, 200));
  r.status = parse_response_head(raw.substr(0, end), r.headers);
  std::string body = raw.substr(end + 4);
  if (r.headers.count("transfer-encoding")) {
    std::string decoded;
    std::size_t p = 0;
    while (p < body.size()) {
      std::size_t nl = body.find("\r\n", p);
      std::size_t n = std::stoul(body.substr(p, nl - p), nullptr, 16);
      if (n == 0) break;
      decoded += body.substr(nl + 2, n);
      p = nl + 2 + n + 2;
    }
    body = decoded;
  }
  r.body = body;
  return r;
}

HttpResponse http_raw(unsigned short port, const std::string& bytes, int timeout_ms) {
  int fd = connect_loopback(port);
  if (timeout_ms > 0) {
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (413): read what it said
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string raw;
  char buf[65536];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && timeout_ms > 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      ::close(fd);
      return HttpResponse{};  // unanswered within timeout_ms
    }
    if (n <= 0) break;
    raw.append(buf, static_cast<std::size_t>(n));
    if (timeout_ms > 0 && std::chrono::steady_clock::now() > deadline) {
      ::close(fd);
      return HttpResponse{};
    }
  }
  ::close(fd);
  return parse_response(raw);
}

HttpResponse http_request(unsigned short port, const HttpRequest& req, int timeout_ms) {
  std::string raw = req.method + " " + req.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  bool has_ct = false;
  for (auto& [k, v] : req.headers) {
    raw += k + ": " + v + "\r\n";
    if (k == "Content-Type") has_ct = true;
  }
  if (!req.body.empty() || req.method == "POST" || req.method == "PATCH" || req.method == "PUT")
    raw += "Content-Length: " + std::to_string(req.body.size()) + "\r\n";
  (void)has_ct;
  raw += "\r\n" + req.body;
  return http_raw(port, raw, timeout_ms);
}

TestHall::TestHall(const std::string& backend, bool demo, const std::function<void(Config&)>& configure) {
  use_fast_password_hashing();
  db_url_ = fresh_db_url(backend);
  Config c;
  c.db_url = db_url_;
  c.db_pool_size = 8;
  c.worker_threads = 8;
  c.access_log = false;
  c.web_root = source_path("web/dist");
  if (configure) configure(c);
  app_ = std::make_unique<App>(c);
  if (demo) demo::seed(*app_);
  router_ = std::make_unique<http::Router>();
  register_all_routes(*router_, *app_);
  dispatcher_ = make_dispatcher(*app_, *router_);
  http::ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.io_threads = 2;
  o.worker_threads = 8;
  o.access_log = false;
  o.max_request_body = c.max_upload_bytes;
  o.push = &app_->push;
  server_ = std::make_unique<http::Server>(o, *dispatcher_, app_->metrics);
  port_ = server_->listen();
  thread_ = std::thread([this] { server_->run(); });
}

TestHall::~TestHall() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
  app_.reset();
  if (db_url_.rfind("sqlite:", 0) == 0) {
    std::string p = db_url_.substr(7);
    for (const char* ext : {"", "-wal", "-shm"}) fs::remove(p + ext);
  }
}

Session TestHall::login(const std::string& login, const std::string& password, bool use_cookie) {
  auto r = post("/api/v1/auth/login", json::object{{"login", login}, {"password", password}});
  if (r.status != 200) throw std::runtime_error("login failed for " + login + ": " + r.body);
  auto v = r.json();
  return Session{std::string(v.at("token").as_string()), std::string(v.at("csrf_token").as_string()), use_cookie};
}

static void add_auth(std::vector<std::pair<std::string, std::string>>& h, const Session* s, bool write) {
  if (!s) return;
  if (s->use_cookie) {
    h.emplace_back("Cookie", "hall_session=" + s->token);
    if (write && !s->csrf.empty()) h.emplace_back("X-CSRF-Token", s->csrf);
  } else {
    h.emplace_back("Authorization", "Bearer " + s->token);
  }
}

HttpResponse TestHall::get(const std::string& path, const Session* s, std::vector<std::pair<std::string, std::string>> headers) {
  add_auth(headers, s, false);
  return http_request(port_, HttpRequest{"GET", path, "", headers});
}

HttpResponse TestHall::send(const std::string& method, const std::string& path, const std::string& body, const Session* s,
                            std::vector<std::pair<std::string, std::string>> headers, const std::string& content_type) {
  add_auth(headers, s, true);
  if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
  return http_request(port_, HttpRequest{method, path, body, headers});
}

long long count(db::Database& db, const std::string& sql) {
  return db.read([&](soci::session& s) {
    long long n = 0;
    s << sql, soci::into(n);
    return n;
  });
}

long long TestHall::count(const std::string& sql) { return test::count(*app_->db, sql); }

std::map<std::string, long long> TestHall::table_counts() {
  std::vector<std::string> tables;
  app_->db->read([&](soci::session& s) {
    std::string name;
    soci::statement st = app_->db->is_sqlite()
                             ? (s.prepare << "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'",
                                soci::into(name))
                             : (s.prepare << "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
                                soci::into(name));
    st.execute();
    while (st.fetch()) tables.push_back(name);
  });
  std::map<std::string, long long> out;
  for (const auto& t : tables) out[t] = count("SELECT COUNT(*) FROM " + t);
  return out;
}

}  // namespace hall::test
