// A hall's closures (寒暑假 and other closed periods). Part of CalendarService (service.hpp).
#include <fmt/format.h>

#include <map>
#include <set>

#include "auth/audit.hpp"
#include "calendar/admin_rules.hpp"
#include "calendar/errors.hpp"
#include "calendar/service.hpp"
#include "calendar/store.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "org/errors.hpp"
#include "org/store.hpp"

namespace hall::calendar {

using namespace detail;

namespace {

const std::set<std::string> kKinds = {"winter", "summer", "other"};

// Reads a closure body: `partial` for PATCH (every field optional, hall fixed).
ClosureInput read_closure(const json::value& body, bool partial) {
  // "note" may be empty (to clear it), which JsonFields refuses: take it out first.
  json::value copy = body;
  ClosureInput in;
  if (auto* o = copy.if_object()) {
    if (auto* n = o->if_contains("note"); n && n->is_string()) {
      std::string note(n->as_string());
      check_text(note, "note", 200, true);
      in.note = note;
      o->erase("note");
    }
  }
  JsonFields f(copy);
  if (!partial) in.hall_id = f.required_int("hall_id", 1, INT64_MAX);
  auto first =
      partial ? f.optional_string("first", 10) : std::optional(f.required_string("first", 10));
  auto last =
      partial ? f.optional_string("last", 10) : std::optional(f.required_string("last", 10));
  in.name = partial ? f.optional_string("name", 40) : std::optional(f.required_string("name", 40));
  in.kind = f.optional_string("kind", 10);
  f.finish();
  if (first) in.first = admin_date(*first, "first");
  if (last) in.last = admin_date(*last, "last");
  if (in.kind && !kKinds.contains(*in.kind))
    throw errors::invalid_kind.with("kind",
                                    Text{"winter、summer 或 other", "winter, summer or other"});
  return in;
}

void check_closure(soci::session& s, const ClosureRecord& c) {
  if (c.last < c.first) throw errors::closure_ends_before_start("last");
  if (c.last - c.first > 366) throw errors::closure_too_long("last");
  for (const auto& o : store::closures(s, c.hall_id)) {
    if (o.id == c.id || o.last < c.first || c.last < o.first) continue;
    throw errors::closure_overlaps.with("first", o.name, o.first.to_string(), o.last.to_string());
  }
}

}  // namespace

ClosureRecord CalendarService::add_closure(const auth::Caller& c, const json::value& body) {
  require_write(c);
  ClosureInput in = read_closure(body, false);
  ClosureRecord r{0,
                  *in.hall_id,
                  *in.first,
                  *in.last,
                  *in.name,
                  in.kind.value_or("other"),
                  in.note.value_or(""),
                  0};
  r = db_.write([&](soci::session& s) {
    if (!org::store::exists(s, "halls", r.hall_id)) throw org::errors::unknown_hall("hall_id");
    check_closure(s, r);
    long long now = Clock::now();
    r.id = store::insert_closure(s, r, now);
    r.updated_at = now;
    auth::audit(s, c, "calendar.closure_added", "closure", std::to_string(r.id), to_json(r));
    return r;
  });
  changed_hall(r.hall_id);
  return r;
}

ClosureRecord CalendarService::edit_closure(const auth::Caller& c, std::int64_t id,
                                            const json::value& body) {
  require_write(c);
  ClosureInput in = read_closure(body, true);
  ClosureRecord r = db_.write([&](soci::session& s) {
    auto before = store::find_closure(s, id);
    if (!before) throw errors::closure_not_found();
    ClosureRecord r = *before;
    if (in.first) r.first = *in.first;
    if (in.last) r.last = *in.last;
    if (in.name) r.name = *in.name;
    if (in.kind) r.kind = *in.kind;
    if (in.note) r.note = *in.note;
    check_closure(s, r);
    long long now = Clock::now();
    store::update_closure(s, r, now);
    r.updated_at = now;
    auth::audit(s, c, "calendar.closure_edited", "closure", std::to_string(id),
                json::object{{"before", to_json(*before)}, {"after", to_json(r)}});
    return r;
  });
  changed_hall(r.hall_id);
  return r;
}

void CalendarService::delete_closure(const auth::Caller& c, std::int64_t id) {
  require_write(c);
  std::int64_t hall = db_.write([&](soci::session& s) {
    auto before = store::find_closure(s, id);
    if (!before) throw errors::closure_not_found();
    store::delete_closure(s, id);
    auth::audit(s, c, "calendar.closure_deleted", "closure", std::to_string(id), to_json(*before));
    return before->hall_id;
  });
  changed_hall(hall);
}

}  // namespace hall::calendar
