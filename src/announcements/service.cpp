#include "announcements/service.hpp"

#include <fmt/format.h>

#include "announcements/markdown.hpp"
#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "core/error.hpp"
#include "db/optional.hpp"

namespace hall::announcements {

namespace {

const char* kSelect =
    "SELECT a.id, a.hall_id, h.name, a.title, a.body, a.format, a.published, a.publish_from, a.publish_until, "
    "a.pinned, a.author_id, u.name, a.created_at, a.updated_at FROM announcements a "
    "LEFT JOIN halls h ON h.id = a.hall_id LEFT JOIN users u ON u.id = a.author_id";

// The statuses as SQL conditions (bound :now values are named per use).
std::string status_condition(const std::string& status) {
  if (status == "draft") return " AND a.published = 0";
  if (status == "scheduled") return " AND a.published = 1 AND a.publish_from > :now1";
  if (status == "expired") return " AND a.published = 1 AND a.publish_until IS NOT NULL AND a.publish_until <= :now1";
  if (status == "published")
    return " AND a.published = 1 AND a.publish_from <= :now1 AND (a.publish_until IS NULL OR a.publish_until > :now2)";
  return "";
}

struct Row {
  long long id = 0, created = 0, updated = 0;
  std::optional<long long> hall, from, until, author;
  std::optional<std::string> hall_name, author_name;
  std::string title, body, format;
  int published = 0, pinned = 0;
  Announcement to_announcement() const {
    Announcement a;
    a.id = id;
    a.hall_id = hall;
    a.hall_name = hall_name.value_or("");
    a.title = title;
    a.body = body;
    a.format = format;
    a.published = published != 0;
    a.publish_from = from;
    a.publish_until = until;
    a.pinned = pinned != 0;
    a.author_id = author;
    a.author_name = author_name.value_or("");
    a.created_at = created;
    a.updated_at = updated;
    return a;
  }
};

void bind_row(soci::statement& st, Row& r) {
  st.exchange(soci::into(r.id));
  st.exchange(soci::into(r.hall));
  st.exchange(soci::into(r.hall_name));
  st.exchange(soci::into(r.title));
  st.exchange(soci::into(r.body));
  st.exchange(soci::into(r.format));
  st.exchange(soci::into(r.published));
  st.exchange(soci::into(r.from));
  st.exchange(soci::into(r.until));
  st.exchange(soci::into(r.pinned));
  st.exchange(soci::into(r.author));
  st.exchange(soci::into(r.author_name));
  st.exchange(soci::into(r.created));
  st.exchange(soci::into(r.updated));
}

struct Page {
  std::vector<Announcement> items;
  long long total = 0;
};

// One query shape for the public and staff lists; values are bound, never spliced.
Page query(soci::session& s, const ListQuery& q, bool public_only, Millis now_ms) {
  long long now = now_ms, hall = q.hall_id.value_or(0);
  std::string text = "%" + q.text + "%";
  std::string where = " WHERE 1=1";
  if (public_only) where += status_condition("published");
  else where += status_condition(q.status);
  bool uses_now1 = where.find(":now1") != std::string::npos, uses_now2 = where.find(":now2") != std::string::npos;
  if (q.hall_id) where += public_only ? " AND (a.hall_id IS NULL OR a.hall_id = :hall)" : " AND a.hall_id = :hall";
  if (!q.text.empty()) where += " AND (a.title LIKE :text OR a.body LIKE :text2)";
  auto bind = [&](soci::statement& st) {
    if (uses_now1) st.exchange(soci::use(now, "now1"));
    if (uses_now2) st.exchange(soci::use(now, "now2"));
    if (q.hall_id) st.exchange(soci::use(hall, "hall"));
    if (!q.text.empty()) {
      st.exchange(soci::use(text, "text"));
      st.exchange(soci::use(text, "text2"));
    }
  };
  Page page;
  {
    soci::statement st(s);
    st.exchange(soci::into(page.total));
    bind(st);
    st.alloc();
    st.prepare("SELECT COUNT(*) FROM announcements a" + where);
    st.define_and_bind();
    st.execute(true);
  }
  std::string order = public_only ? " ORDER BY a.pinned DESC, a.publish_from DESC, a.id DESC"
                                  : " ORDER BY a.pinned DESC, a.updated_at DESC, a.id DESC";
  Row r;
  soci::statement st(s);
  bind_row(st, r);
  bind(st);
  st.alloc();
  st.prepare(std::string(kSelect) + where + order +
             fmt::format(" LIMIT {} OFFSET {}", q.page_size, static_cast<long long>(q.page - 1) * q.page_size));
  st.define_and_bind();
  st.execute();
  while (st.fetch()) page.items.push_back(r.to_announcement());
  return page;
}

std::optional<Announcement> find(soci::session& s, std::int64_t id_in) {
  long long id = id_in;
  Row r;
  soci::statement st(s);
  bind_row(st, r);
  st.exchange(soci::use(id, "id"));
  st.alloc();
  st.prepare(std::string(kSelect) + " WHERE a.id = :id");
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  return r.to_announcement();
}

ApiError not_found_error() { return not_found("announcement_not_found", {"找不到该公告", "No such announcement"}); }

json::object page_json(const Page& p, const ListQuery& q, Millis now, bool staff) {
  json::array items;
  for (const auto& a : p.items) {
    json::object o = to_json(a, now, staff);
    o.erase("body");
    o.erase("body_html");
    o["excerpt"] = plain_excerpt(a.body);
    items.push_back(o);
  }
  return json::object{{"items", items}, {"total", p.total}, {"page", q.page}, {"page_size", q.page_size}};
}

// Reads the writable fields of a body onto `a`; `creating` makes title/body required.
void apply_body(Announcement& a, const json::value& body, bool creating) {
  JsonFields f(body);
  const json::object& raw = body.as_object();
  auto explicit_null = [&](const char* k) { return raw.contains(k) && raw.at(k).is_null(); };
  if (auto v = creating ? std::optional(f.required_string("title", 100)) : f.optional_string("title", 100)) a.title = *v;
  if (auto v = creating ? std::optional(f.required_string("body", 20000)) : f.optional_string("body", 20000)) a.body = *v;
  if (auto v = f.optional_string("format", 10)) {
    if (*v != "markdown" && *v != "text")
      throw bad_request("invalid_format", {"format 应为 markdown 或 text", "format must be markdown or text"}, "format");
    a.format = *v;
  }
  if (auto v = f.optional_int("hall_id", 1, INT64_MAX)) a.hall_id = *v;
  else if (explicit_null("hall_id")) a.hall_id.reset();
  if (auto v = f.optional_bool("published")) a.published = *v;
  if (auto v = f.optional_bool("pinned")) a.pinned = *v;
  if (auto v = f.optional_string("publish_from", 40)) a.publish_from = parse_iso8601(*v, "publish_from");
  else if (explicit_null("publish_from")) a.publish_from.reset();
  if (auto v = f.optional_string("publish_until", 40)) a.publish_until = parse_iso8601(*v, "publish_until");
  else if (explicit_null("publish_until")) a.publish_until.reset();
  f.finish();
}

void check(soci::session& s, Announcement& a) {
  if (a.hall_id) {
    long long h = *a.hall_id, n = 0;
    s << "SELECT COUNT(*) FROM halls WHERE id = :h", soci::into(n), soci::use(h);
    if (!n) throw bad_request("unknown_hall", {"找不到该大厅", "No such hall"}, "hall_id");
  }
  // Publishing without a start publishes now.
  if (a.published && !a.publish_from) a.publish_from = Clock::now();
  if (a.publish_until && a.publish_from && *a.publish_until <= *a.publish_from)
    throw bad_request("publish_until_before_from",
                      {"下线时间应晚于发布时间", "publish_until must be after publish_from"}, "publish_until");
}

void require_write(const auth::Caller& c) { auth::require(c.principal, "announcements.write"); }

json::value summary_of(const Announcement& a) {
  return json::object{{"title", a.title},
                      {"hall_id", a.hall_id ? json::value(*a.hall_id) : json::value(nullptr)},
                      {"published", a.published},
                      {"pinned", a.pinned},
                      {"publish_from", a.publish_from ? json::value(iso8601_utc(*a.publish_from)) : json::value(nullptr)},
                      {"publish_until", a.publish_until ? json::value(iso8601_utc(*a.publish_until)) : json::value(nullptr)}};
}

}  // namespace

std::string status_of(const Announcement& a, Millis now) {
  if (!a.published) return "draft";
  if (a.publish_from && *a.publish_from > now) return "scheduled";
  if (a.publish_until && *a.publish_until <= now) return "expired";
  return "published";
}

bool is_public(const Announcement& a, Millis now) { return status_of(a, now) == "published"; }

std::string body_html(const Announcement& a) {
  return a.format == "text" ? render_plain(a.body) : render_markdown(a.body);
}

json::object to_json(const Announcement& a, Millis now, bool with_author) {
  json::object o{{"id", a.id},
                 {"hall_id", a.hall_id ? json::value(*a.hall_id) : json::value(nullptr)},
                 {"hall_name", a.hall_name},
                 {"title", a.title},
                 {"body", a.body},
                 {"format", a.format},
                 {"body_html", body_html(a)},
                 {"pinned", a.pinned},
                 {"publish_from", a.publish_from ? json::value(iso8601_utc(*a.publish_from)) : json::value(nullptr)},
                 {"publish_until", a.publish_until ? json::value(iso8601_utc(*a.publish_until)) : json::value(nullptr)},
                 {"updated_at", iso8601_utc(a.updated_at)}};
  if (with_author) {
    o["published"] = a.published;
    o["status"] = status_of(a, now);
    o["author"] = a.author_id ? json::value(json::object{{"id", *a.author_id}, {"name", a.author_name}})
                              : json::value(nullptr);
    o["created_at"] = iso8601_utc(a.created_at);
  }
  return o;
}

json::object AnnouncementService::public_list(const ListQuery& q, bool) const {
  Millis now = Clock::now();
  Page p = db_.read([&](soci::session& s) { return query(s, q, true, now); });
  return page_json(p, q, now, false);
}

json::object AnnouncementService::public_detail(std::int64_t id) const {
  Millis now = Clock::now();
  auto a = db_.read([&](soci::session& s) { return find(s, id); });
  // Drafts, scheduled and expired ones are not public: answer as if they did not exist.
  if (!a || !is_public(*a, now)) throw not_found_error();
  return to_json(*a, now, false);
}

json::object AnnouncementService::list(const auth::Caller& c, const ListQuery& q) const {
  require_write(c);
  if (!q.status.empty() && q.status != "draft" && q.status != "scheduled" && q.status != "published" &&
      q.status != "expired")
    throw bad_request("invalid_status",
                      {"status 应为 draft、scheduled、published 或 expired",
                       "status must be draft, scheduled, published or expired"},
                      "status");
  Millis now = Clock::now();
  Page p = db_.read([&](soci::session& s) { return query(s, q, false, now); });
  return page_json(p, q, now, true);
}

json::object AnnouncementService::get(const auth::Caller& c, std::int64_t id) const {
  require_write(c);
  auto a = db_.read([&](soci::session& s) { return find(s, id); });
  if (!a) throw not_found_error();
  return to_json(*a, Clock::now(), true);
}

json::object AnnouncementService::create(const auth::Caller& c, const json::value& body) {
  require_write(c);
  Announcement a;
  apply_body(a, body, true);
  auto id = db_.write([&](soci::session& s) {
    check(s, a);
    long long now = Clock::now(), id = 0;
    int published = a.published ? 1 : 0, pinned = a.pinned ? 1 : 0;
    std::optional<long long> hall = a.hall_id, from = a.publish_from, until = a.publish_until, author;
    if (c.principal.is_user()) author = c.principal.user_id;
    s << "INSERT INTO announcements (hall_id, title, body, format, published, publish_from, publish_until, pinned, "
         "author_id, created_at, updated_at) VALUES (:h, :t, :b, :f, :p, :pf, :pu, :pin, :a, :c, :u) RETURNING id",
        soci::use(hall), soci::use(a.title), soci::use(a.body), soci::use(a.format), soci::use(published),
        soci::use(from), soci::use(until), soci::use(pinned), soci::use(author), soci::use(now), soci::use(now),
        soci::into(id);
    auth::audit(s, c, "announcements.created", "announcement", std::to_string(id), summary_of(a));
    return id;
  });
  return get(c, id);
}

json::object AnnouncementService::update(const auth::Caller& c, std::int64_t id, const json::value& body) {
  require_write(c);
  db_.write([&](soci::session& s) {
    auto before = find(s, id);
    if (!before) throw not_found_error();
    Announcement a = *before;
    apply_body(a, body, false);
    check(s, a);
    long long now = Clock::now(), aid = id;
    int published = a.published ? 1 : 0, pinned = a.pinned ? 1 : 0;
    std::optional<long long> hall = a.hall_id, from = a.publish_from, until = a.publish_until;
    s << "UPDATE announcements SET hall_id = :h, title = :t, body = :b, format = :f, published = :p, "
         "publish_from = :pf, publish_until = :pu, pinned = :pin, updated_at = :u WHERE id = :id",
        soci::use(hall), soci::use(a.title), soci::use(a.body), soci::use(a.format), soci::use(published),
        soci::use(from), soci::use(until), soci::use(pinned), soci::use(now), soci::use(aid);
    auth::audit(s, c, "announcements.updated", "announcement", std::to_string(id),
                json::object{{"before", summary_of(*before)}, {"after", summary_of(a)}});
  });
  return get(c, id);
}

void AnnouncementService::remove(const auth::Caller& c, std::int64_t id) {
  require_write(c);
  db_.write([&](soci::session& s) {
    auto before = find(s, id);
    if (!before) throw not_found_error();
    long long aid = id;
    s << "DELETE FROM announcements WHERE id = :id", soci::use(aid);
    auth::audit(s, c, "announcements.deleted", "announcement", std::to_string(id), summary_of(*before));
  });
}

}  // namespace hall::announcements
