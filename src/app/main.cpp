// hall: the one binary. Subcommands only; everything else lives in the capability folders.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

#include "auth/password.hpp"
#include "auth/permissions.hpp"
#include "auth/store.hpp"
#include "cases/warnings.hpp"
#include "db/backup.hpp"
#include "core/clock.hpp"
#include "db/migrations.hpp"
#include "demo/seed.hpp"
#include "http/server.hpp"
#include "wiring/app.hpp"

using namespace hall;

namespace {

std::string read_password_stdin() {
  std::string pw;
  std::getline(std::cin, pw);
  while (!pw.empty() && (pw.back() == '\r' || pw.back() == '\n')) pw.pop_back();
  return pw;
}

Config config_from(const std::string& file, const std::string& db_url) {
  Config c = file.empty() ? Config{} : load_config_file(file);
  if (!db_url.empty()) c.db_url = db_url;
  return c;
}

void print_demo_logins(const Config& c) {
  std::cout << "\n  Demo logins (demo data, not real people):\n";
  for (const auto& l : demo::demo_logins())
    std::cout << "    " << l.login << " / " << l.password << "    " << l.note << "\n";
  std::cout << "  Demo device tokens (kiosk, board, rating pad, check-in):\n";
  for (const auto& d : demo::demo_devices()) std::cout << "    " << d.kind << ": " << d.token << "\n";
}

int serve(const std::string& config_file, const std::string& db_url, const std::string& listen,
          bool demo_flag, const std::string& web_root, const std::string& public_base_url) {
  Config c = config_from(config_file, db_url);
  if (!listen.empty()) c.listen = listen;
  if (!public_base_url.empty()) {
    c.public_base_url = public_base_url;
    while (!c.public_base_url.empty() && c.public_base_url.back() == '/')
      c.public_base_url.pop_back();
  }
  if (!web_root.empty()) c.web_root = web_root;
  if (demo_flag) c.demo = true;
  auto colon = c.listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--listen must be HOST:PORT");
  App app(c);
  bool seeded = false;
  if (c.demo && demo::database_is_empty(*app.db)) {
    spdlog::info("filling the empty database with demo data");
    demo::seed(app);
    seeded = true;
  }
  if (c.demo) demo::refresh(app);
  http::Router router;
  register_all_routes(router, app);
  auto dispatcher = make_dispatcher(app, router);
  http::ServerOptions o;
  o.host = c.listen.substr(0, colon);
  o.port = static_cast<unsigned short>(std::stoi(c.listen.substr(colon + 1)));
  o.io_threads = c.threads;
  o.worker_threads = c.worker_threads;
  o.max_request_body = std::max(c.max_upload_bytes, c.max_body_bytes);
  o.max_header_bytes = c.max_header_bytes;
  o.request_timeout_seconds = c.request_timeout_seconds;
  o.idle_timeout_seconds = c.idle_timeout_seconds;
  o.access_log = c.access_log;
  o.handle_signals = true;
  o.push = &app.push;
  http::Server server(o, *dispatcher, app.metrics);
  unsigned short port = server.listen();
  std::cout << "Hall is running at http://" << o.host << ":" << port << "/  (database: " << c.db_url
            << (seeded ? ", demo data filled now" : "") << ")\n";
  if (c.public_base_url.empty())
    std::cout << "\n  NOTE: public_base_url is not set. The QR codes and verification links "
                 "printed on documents\n"
                 "        and tickets will use the address each request came to (e.g. "
                 "http://127.0.0.1:8080),\n"
                 "        which students' phones cannot reach. Set the address students use:\n"
                 "        hall serve --public-base-url https://hall.example.edu.cn   (or "
                 "public_base_url in the TOML file)\n\n";
  if (c.demo) print_demo_logins(c);
  std::cout << std::flush;
  // Each module's own threads, e.g. B6.3 time-limit warnings (cases/module.cpp).
  app.start_background();
  server.run();
  app.stop_background();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Hall: the one-stop student affairs service hall (学生事务服务大厅)"};
  cli.require_subcommand(1);
  std::string config_file, db_url, listen, web_root, public_base_url, login, name, role, to,
      student_no, staff_no;
  bool demo_flag = false, password_stdin = false;

  auto* serve_cmd = cli.add_subcommand("serve", "Run the web server (API and web UI)");
  serve_cmd->add_option("--config", config_file, "TOML configuration file")->check(CLI::ExistingFile);
  serve_cmd->add_option("--db", db_url, "Database URL: sqlite:PATH or postgresql://user@host:port/db");
  serve_cmd->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve_cmd->add_option("--public-base-url", public_base_url,
                        "The address students reach Hall at, e.g. https://hall.example.edu.cn: the "
                        "base of QR codes and verification links on documents and tickets (default: "
                        "the address of each request)");
  serve_cmd->add_option("--web-root", web_root, "Directory of the built web UI (default: web/dist of the source tree)");
  serve_cmd->add_flag("--demo", demo_flag, "Fill an empty database with demo data and print the demo logins");

  auto* migrate_cmd = cli.add_subcommand("migrate", "Create or upgrade the database schema");
  migrate_cmd->add_option("--db", db_url, "Database URL")->required();

  auto* seed_cmd = cli.add_subcommand("seed-demo", "Fill an empty database with demo data");
  seed_cmd->add_option("--db", db_url, "Database URL")->required();

  auto* user_cmd = cli.add_subcommand("user", "Manage people from scripts");
  user_cmd->require_subcommand(1);
  auto* add_cmd = user_cmd->add_subcommand("add", "Add a person; the password is read from standard input");
  add_cmd->add_option("--db", db_url, "Database URL")->required();
  add_cmd->add_option("--login", login, "Login name")->required();
  add_cmd->add_option("--name", name, "Full name")->required();
  add_cmd->add_option("--role", role, "student, staff, teacher, unit_head or admin")->required();
  add_cmd->add_option("--student-no", student_no, "学号 (students; default: the login)");
  add_cmd->add_option("--staff-no", staff_no, "工号 (staff roles; default: the login)");
  add_cmd->add_flag("--password-stdin", password_stdin, "Read the password from standard input")->required();
  auto* passwd_cmd = user_cmd->add_subcommand("passwd", "Set a person's password (read from standard input)");
  passwd_cmd->add_option("--db", db_url, "Database URL")->required();
  passwd_cmd->add_option("--login", login, "Login name")->required();
  passwd_cmd->add_flag("--password-stdin", password_stdin, "Read the password from standard input")->required();

  auto* backup_cmd = cli.add_subcommand("backup", "Consistent online copy of a SQLite database (safe while serving)");
  backup_cmd->add_option("--db", db_url, "sqlite:PATH of the database to copy")->required();
  backup_cmd->add_option("--to", to, "File to write the copy to")->required();

  CLI11_PARSE(cli, argc, argv);
  try {
    if (*serve_cmd) return serve(config_file, db_url, listen, demo_flag, web_root, public_base_url);
    if (*migrate_cmd) {
      auto db = db::Database::open(db_url, 1);
      auto r = db::migrate(*db);
      for (const auto& m : r.applied) std::cout << "applied " << m << "\n";
      std::cout << "schema version " << r.to_version << "\n";
      return 0;
    }
    if (*seed_cmd) {
      // The whole App: the demo's cases and complaints take their deadlines from the working-day
      // calendar.
      App app(config_from("", db_url));
      demo::seed(app);
      std::cout << "demo data filled\n";
      print_demo_logins(Config{});
      return 0;
    }
    if (*add_cmd) {
      if (!auth::is_person_role(role)) throw std::runtime_error("unknown role '" + role + "'");
      std::string pw = read_password_stdin();
      auth::check_password_policy(pw, login, "password");
      auth::User u;
      u.login = login;
      u.name = name;
      u.role = role;
      if (role == "student") u.student = auth::StudentProfile{student_no.empty() ? login : student_no};
      else u.staff = auth::StaffProfile{staff_no.empty() ? login : staff_no};
      auto db = db::Database::open(db_url, 1);
      db::migrate(*db);
      std::string hash = auth::hash_password(pw);
      auto id = db->write([&](soci::session& s) {
        auto id = auth::store::insert_user(s, u, hash);
        // SOCI binds by reference and runs the statement after the full
        // expression's temporaries are gone: bind named variables only.
        long long at = Clock::now();
        std::string target = std::to_string(id);
        std::string summary = std::string(R"({"via":"hall user add","role":")") + role + "\"}";
        s << "INSERT INTO audit_log (at, actor_login, actor_role, action, target_type, target_id, summary, address) "
             "VALUES (:t, 'cli', 'admin', 'users.created', 'user', :id, :sum, 'cli')",
            soci::use(at), soci::use(target), soci::use(summary);
        return id;
      });
      std::cout << "added " << login << " (id " << id << ", " << role << ")\n";
      return 0;
    }
    if (*passwd_cmd) {
      std::string pw = read_password_stdin();
      auth::check_password_policy(pw, login, "password");
      auto db = db::Database::open(db_url, 1);
      db::migrate(*db);
      std::string hash = auth::hash_password(pw);
      db->write([&](soci::session& s) {
        auto id = auth::store::find_user_id_by_login(s, login);
        if (!id) throw std::runtime_error("no person with login '" + login + "'");
        auth::store::update_password(s, *id, hash);
        auth::store::revoke_user_sessions(s, *id, 0);
        long long at = Clock::now();
        std::string target = std::to_string(*id);
        s << "INSERT INTO audit_log (at, actor_login, actor_role, action, target_type, target_id, address) "
             "VALUES (:t, 'cli', 'admin', 'users.password_reset', 'user', :id, 'cli')",
            soci::use(at), soci::use(target);
      });
      std::cout << "password changed for " << login << "; their sessions were signed out\n";
      return 0;
    }
    if (*backup_cmd) {
      if (db_url.rfind("sqlite:", 0) != 0) throw std::runtime_error("backup works on sqlite: databases; use pg_dump for PostgreSQL");
      db::backup_sqlite(db_url.substr(7), to);
      std::cout << "backup written to " << to << "\n";
      return 0;
    }
  } catch (const ApiError& e) {
    std::cerr << "hall: " << e.message().en << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "hall: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
