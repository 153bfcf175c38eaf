#include "announcements/errors.hpp"
#include "announcements/service.hpp"

#include <fmt/format.h>

#include "announcements/markdown.hpp"
#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "core/error.hpp"
#include "announcements/store.hpp"

namespace hall::announcements {

namespace {

using store::Page;

ApiError not_found_error() { return errors::announcement_not_found(); }

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

// Applies the given fields of an input onto `a`.
void apply_input(Announcement& a, const AnnouncementInput& in) {
  if (in.title) a.title = *in.title;
  if (in.body) a.body = *in.body;
  if (in.format) a.format = *in.format;
  if (in.hall_id) a.hall_id = *in.hall_id;
  if (in.published) a.published = *in.published;
  if (in.pinned) a.pinned = *in.pinned;
  if (in.publish_from) a.publish_from = *in.publish_from;
  if (in.publish_until) a.publish_until = *in.publish_until;
}

void check(soci::session& s, Announcement& a) {
  if (a.hall_id && !store::hall_exists(s, *a.hall_id)) throw errors::unknown_hall("hall_id");
  // Publishing without a start publishes now.
  if (a.published && !a.publish_from) a.publish_from = Clock::now();
  if (a.publish_until && a.publish_from && *a.publish_until <= *a.publish_from)
    throw errors::publish_until_before_from("publish_until");
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
  Page p = db_.read([&](soci::session& s) { return store::list(s, q, true, now); });
  return page_json(p, q, now, false);
}

json::object AnnouncementService::public_detail(std::int64_t id) const {
  Millis now = Clock::now();
  auto a = db_.read([&](soci::session& s) { return store::find(s, id); });
  // Drafts, scheduled and expired ones are not public: answer as if they did not exist.
  if (!a || !is_public(*a, now)) throw not_found_error();
  return to_json(*a, now, false);
}

json::object AnnouncementService::list(const auth::Caller& c, const ListQuery& q) const {
  require_write(c);
  if (!q.status.empty() && q.status != "draft" && q.status != "scheduled" && q.status != "published" &&
      q.status != "expired")
    throw errors::invalid_status.with("status", "draft、scheduled、published 或 expired",
                                      "draft, scheduled, published or expired");
  Millis now = Clock::now();
  Page p = db_.read([&](soci::session& s) { return store::list(s, q, false, now); });
  return page_json(p, q, now, true);
}

json::object AnnouncementService::get(const auth::Caller& c, std::int64_t id) const {
  require_write(c);
  auto a = db_.read([&](soci::session& s) { return store::find(s, id); });
  if (!a) throw not_found_error();
  return to_json(*a, Clock::now(), true);
}

json::object AnnouncementService::create(const auth::Caller& c, const AnnouncementInput& in) {
  require_write(c);
  Announcement a;
  apply_input(a, in);
  if (c.principal.is_user()) a.author_id = c.principal.user_id;
  auto id = db_.write([&](soci::session& s) {
    check(s, a);
    auto id = store::insert(s, a, Clock::now());
    auth::audit(s, c, "announcements.created", "announcement", std::to_string(id), summary_of(a));
    return id;
  });
  return get(c, id);
}

json::object AnnouncementService::update(const auth::Caller& c, std::int64_t id, const AnnouncementInput& in) {
  require_write(c);
  db_.write([&](soci::session& s) {
    auto before = store::find(s, id);
    if (!before) throw not_found_error();
    Announcement a = *before;
    apply_input(a, in);
    check(s, a);
    store::update(s, a, Clock::now());
    auth::audit(s, c, "announcements.updated", "announcement", std::to_string(id),
                json::object{{"before", summary_of(*before)}, {"after", summary_of(a)}});
  });
  return get(c, id);
}

void AnnouncementService::remove(const auth::Caller& c, std::int64_t id) {
  require_write(c);
  db_.write([&](soci::session& s) {
    auto before = store::find(s, id);
    if (!before) throw not_found_error();
    store::remove(s, id);
    auth::audit(s, c, "announcements.deleted", "announcement", std::to_string(id), summary_of(*before));
  });
}

}  // namespace hall::announcements
