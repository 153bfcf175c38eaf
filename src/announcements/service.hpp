// Announcements (公告, B6.4 事务公开): written by administrators and the
// responsible teacher (announcements.write), for one hall or every hall, with a
// publication window; public only once published and within that window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "db/database.hpp"

namespace hall::announcements {

struct Announcement {
  std::int64_t id = 0;
  std::optional<std::int64_t> hall_id;  // nullopt: every hall
  std::string hall_name;
  std::string title;
  std::string body;
  std::string format = "markdown";  // markdown / text
  bool published = false;           // false: a draft
  std::optional<Millis> publish_from, publish_until;
  bool pinned = false;
  std::optional<std::int64_t> author_id;
  std::string author_name;
  Millis created_at = 0, updated_at = 0;
};

// draft / scheduled / published / expired, at `now`.
std::string status_of(const Announcement& a, Millis now);
bool is_public(const Announcement& a, Millis now);
// The body as safe HTML (see markdown.hpp).
std::string body_html(const Announcement& a);

struct ListQuery {
  std::optional<std::int64_t> hall_id;  // public: that hall's and all-hall ones
  std::string status;                   // staff list only
  std::string text;
  int page = 1, page_size = 20;
};

// What a create or update sets: an absent field is left as it is; for the
// nullable ones, an inner nullopt clears the value (JSON null).
struct AnnouncementInput {
  std::optional<std::string> title, body, format;
  std::optional<std::optional<std::int64_t>> hall_id;
  std::optional<bool> published, pinned;
  std::optional<std::optional<Millis>> publish_from, publish_until;
};

class AnnouncementService {
 public:
  explicit AnnouncementService(db::Database& db) : db_(db) {}

  // Public (no login): only what is published now.
  json::object public_list(const ListQuery& q, bool english) const;
  json::object public_detail(std::int64_t id) const;  // 404 unless public

  // Staff (announcements.write).
  json::object list(const auth::Caller& c, const ListQuery& q) const;
  json::object get(const auth::Caller& c, std::int64_t id) const;
  json::object create(const auth::Caller& c, const AnnouncementInput& in);
  json::object update(const auth::Caller& c, std::int64_t id, const AnnouncementInput& in);
  void remove(const auth::Caller& c, std::int64_t id);

 private:
  db::Database& db_;
};

json::object to_json(const Announcement& a, Millis now, bool with_author);

}  // namespace hall::announcements
