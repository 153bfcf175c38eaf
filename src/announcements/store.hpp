// All SQL of the announcements capability (issue #12 §3). The queue's hall board
// reads the published titles through published_titles().
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "announcements/service.hpp"
#include "core/clock.hpp"

namespace hall::announcements::store {

struct Page {
  std::vector<Announcement> items;
  long long total = 0;
};

// The public list (public_only: published now, the hall's and all-hall ones) or the staff list.
Page list(soci::session& s, const ListQuery& q, bool public_only, Millis now);
std::optional<Announcement> find(soci::session& s, std::int64_t id);
// Reads org's `halls` table (owner: org) to check a hall id before it is stored.
bool hall_exists(soci::session& s, std::int64_t hall_id);
std::int64_t insert(soci::session& s, const Announcement& a, Millis now);
void update(soci::session& s, const Announcement& a, Millis now);
void remove(soci::session& s, std::int64_t id);

// B6.4: what a hall's board shows — the titles published at `now` for the hall or
// for every hall, pinned first, newest first.
struct Title {
  std::int64_t id = 0;
  std::string title;
};
std::vector<Title> published_titles(soci::session& s, std::int64_t hall_id, Millis now, int limit = 10);

}  // namespace hall::announcements::store
