// Settings of one Hall installation. Read from a TOML file (see hall.example.toml);
// command-line flags override the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hall {

struct WechatConfig {
  std::string path = "/wechat";
  std::string token;
  std::string encoding_aes_key;
  std::string app_id;
  int timestamp_window_seconds = 300;
};

struct Config {
  std::string hall_name = "学生事务服务大厅";
  std::string hall_name_en = "Student Affairs Service Hall";
  std::string time_zone = "Asia/Shanghai";
  int utc_offset_minutes = 480;  // Asia/Shanghai has no daylight saving time.
  std::string db_url = "sqlite:var/hall.db";
  std::string listen = "127.0.0.1:8080";
  std::string web_root;      // built web UI (web/dist); empty: found beside the source tree
  std::string data_dir;      // shipped reference data (holidays); empty: <source>/data
  std::string upload_dir = "var/uploads";
  std::string public_base_url;  // for QR codes and links; empty: derived from the request
  int threads = 0;              // I/O threads; 0 = one per core
  int worker_threads = 16;      // threads that run handlers (they block on the database)
  int db_pool_size = 16;
  // How long a request waits for a free database session / for SQLite's one
  // writer's turn before it is answered 503 server_busy (never minutes).
  int db_lease_wait_ms = 3000;
  int db_writer_wait_ms = 5000;
  std::size_t max_body_bytes = 1 << 20;     // JSON bodies
  std::size_t max_upload_bytes = 10 << 20;  // file uploads (forms, imports, attachments)
  std::size_t max_header_bytes = 16 << 10;
  int request_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  int session_hours = 12;
  // The Secure flag on the session cookie. Unset ("auto" in the file): on when
  // public_base_url is https, since the hall is then reached over TLS; a
  // cookie without it would be sent in clear to any http:// URL of the host.
  std::optional<bool> secure_cookies;
  // Reverse proxies (addresses or networks) whose X-Forwarded-For names the
  // client; empty: the peer is the client (http/client_address.hpp).
  std::vector<std::string> trusted_proxies;
  bool demo = false;
  bool access_log = true;
  // B6.3: how often the case-warning sweeper runs (seconds); 0: never (tests sweep by hand).
  int case_warning_sweep_seconds = 60;
  WechatConfig wechat;

  bool cookies_secure() const;
};

// Loads a TOML file over the defaults; throws std::runtime_error with the
// file, line and reason on a syntax error or an unknown key.
Config load_config_file(const std::string& path);

// The source tree this binary was built from (for web/dist and data/ when no
// path is configured); HALL_SOURCE_DIR in the environment overrides it.
std::string source_dir();

}  // namespace hall
