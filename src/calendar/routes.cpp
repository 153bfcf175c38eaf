// HTTP ↔ CalendarService. Public (no login, B6.4 事务公开): due dates, days,
// hours, open-now, closures, holidays, halls and which window serves what.
// Administration: calendar.write.
#include "calendar/routes.hpp"

#include <fmt/format.h>

#include "auth/caller.hpp"
#include "calendar/errors.hpp"
#include "calendar/module.hpp"
#include "calendar/service.hpp"
#include "calendar/store.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "db/database.hpp"
#include "db/optional.hpp"
#include "documents/model.hpp"
#include "org/store.hpp"

namespace hall::calendar {

using http::Access;
using http::Request;
using http::Response;

namespace {

constexpr int kMaxRangeDays = 366;

std::string required_query(const Request& req, const std::string& name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) throw errors::missing_parameter.with(name, name);
  return *v;
}

std::int64_t hall_param(const Request& req) { return req.query_int("hall", 1, INT64_MAX).value_or(0); }

Instant instant_of(Millis ms) { return Instant{std::chrono::seconds{ms / 1000}}; }
std::string iso(Instant t) { return iso8601_utc(t.time_since_epoch().count() * 1000LL); }

json::object day_json(const HallCalendar& cal, const DayInfo& d) {
  return json::object{{"date", d.date.to_string()},
                      {"weekday", d.date.iso_weekday()},
                      {"working", d.is_working},
                      {"reason", to_string(d.reason)},
                      {"name", d.name},
                      {"provisional", d.provisional},
                      {"hours", day_hours_json(cal.hours_on(d.date))}};
}

json::object hall_json(const org::store::HallInfo& h) {
  return json::object{{"id", h.id},           {"code", h.code},       {"name", h.name},
                      {"name_en", h.name_en}, {"address", h.address}, {"phone", h.phone}};
}

json::value hall_info(Deps& deps, std::int64_t hall_id) {
  if (!hall_id) return nullptr;
  auto h = deps.db->read([&](soci::session& s) { return org::store::find_hall(s, hall_id); });
  return h ? json::value(hall_json(*h)) : json::value(nullptr);
}

}  // namespace

void register_routes(http::Router& router, Deps& deps) {
  CalendarService& cal = *deps.calendar;

  // --- public -----------------------------------------------------------------

  // B6.3: the N-th working day after start (start never counts).
  router.get("/api/v1/calendar/due", Access::public_(), [&cal](Request& req) {
    Date start = Date::parse(required_query(req, "start"), "start");
    required_query(req, "working_days");
    auto n = req.query_int("working_days", INT64_MIN, INT64_MAX);
    if (*n < 0 || *n > 3650) throw errors::invalid_working_days("working_days");
    std::int64_t hall = hall_param(req);
    auto c = cal.for_hall(hall);
    Date due = c->add_working_days(start, static_cast<int>(*n), "start");
    // Provisional when any day counted rests on the law alone (no official data yet).
    return Response::json(json::object{{"due", due.to_string()},
                                       {"start", start.to_string()},
                                       {"working_days", *n},
                                       {"provisional", c->provisional_between(start, due)},
                                       {"hall_id", cal.resolve_hall(hall)}});
  });

  router.get("/api/v1/calendar/days", Access::public_(), [&cal](Request& req) {
    Date from = Date::parse(required_query(req, "from"), "from");
    Date to = Date::parse(required_query(req, "to"), "to");
    if (to < from) throw errors::invalid_range("to");
    if (to - from >= kMaxRangeDays) throw errors::range_too_long.with("to", kMaxRangeDays);
    std::int64_t hall = hall_param(req);
    auto c = cal.for_hall(hall);
    // Check the whole range first so a year out of range answers 422, not a partial list.
    c->classify(from, "from");
    c->classify(to, "to");
    json::array items;
    for (Date d = from; d <= to; d = d.add_days(1)) items.push_back(day_json(*c, c->classify(d, "to")));
    return Response::json(json::object{{"hall_id", cal.resolve_hall(hall)},
                                       {"from", from.to_string()},
                                       {"to", to.to_string()},
                                       {"provisional", c->provisional_between(from, to)},
                                       {"items", items}});
  });

  router.get("/api/v1/calendar/hours", Access::public_(), [&cal, &deps](Request& req) {
    std::int64_t hall = cal.resolve_hall(hall_param(req));
    auto c = cal.for_hall(hall);
    json::object out = hours_to_json(c->opening_hours());
    out["hall"] = hall_info(deps, hall);
    out["custom"] = hall && cal.stored_hours(hall).has_value();
    Date today = c->local_date(instant_of(Clock::now()));
    json::value today_json = nullptr;
    try {
      today_json = day_json(*c, c->classify(today));
    } catch (const ApiError&) {
      // today's year has no data: the page still shows the weekly hours
    }
    out["today"] = today_json;
    out["covered_years"] = [&] {
      json::array a;
      for (int y : c->holidays().covered_years()) a.push_back(y);
      return a;
    }();
    return Response::json(out);
  });

  // How far the official holiday data reaches, and whether to ask for next
  // year's schedule now (the banner of the admin's and the teacher's pages).
  router.get("/api/v1/calendar/status", Access::public_(), [&cal](Request& req) {
    std::int64_t hall = hall_param(req);
    auto c = cal.for_hall(hall);
    Date today = c->local_date(instant_of(Clock::now()));
    CoverageStatus st = coverage_status(c->holidays(), today);
    json::array years;
    for (int y : c->holidays().covered_years()) years.push_back(y);
    return Response::json(json::object{
        {"hall_id", cal.resolve_hall(hall)},
        {"today", today.to_string()},
        {"covered_years", years},
        {"covered_through", st.covered_through ? json::value(st.covered_through->to_string()) : json::value(nullptr)},
        {"provisional_from", st.provisional_from.to_string()},
        {"today_provisional", st.today_provisional},
        {"import_year", st.provisional_from.year()},
        {"ask_from", st.ask_from.to_string()},
        {"import_due", st.import_due},
        {"reminder_days", kImportReminderDays}});
  });

  router.get("/api/v1/calendar/open-now", Access::public_(), [&cal](Request& req) {
    std::int64_t hall = hall_param(req);
    auto c = cal.for_hall(hall);
    Instant now = instant_of(Clock::now());
    bool open = c->is_open(now, "now");
    json::value closes_at = nullptr, next = nullptr;
    Instant from = now;
    if (open) {
      Date d = c->local_date(now);
      int sod = static_cast<int>((now - c->at(d, 0)).count());
      for (const auto& r : c->hours_on(d))
        if (r.begin <= sod && sod < r.end) from = c->at(d, r.end);
      closes_at = iso(from);
    }
    try {
      next = iso(c->next_opening(from, "now"));
    } catch (const ApiError& e) {
      if (e.code() != "calendar_year_out_of_range") throw;  // beyond the table: no promise
    }
    return Response::json(json::object{{"hall_id", cal.resolve_hall(hall)},
                                       {"now", iso(now)},
                                       {"open", open},
                                       {"closes_at", closes_at},
                                       {"next_opening", next}});
  });

  router.get("/api/v1/calendar/closures", Access::public_(), [&cal](Request& req) {
    std::int64_t hall = cal.resolve_hall(hall_param(req));
    json::array items;
    if (hall)
      for (const auto& c : cal.closures(hall)) items.push_back(to_json(c));
    return Response::json(json::object{{"hall_id", hall}, {"items", items}});
  });

  router.get("/api/v1/calendar/holidays", Access::public_(), [&cal](Request& req) {
    auto year = req.query_int("year", 2000, 2100);
    json::array items, years;
    for (const auto& h : cal.holidays(year ? std::optional<int>(static_cast<int>(*year)) : std::nullopt))
      items.push_back(to_json(h));
    auto covered = cal.covered_years();
    for (int y : covered) years.push_back(y);
    json::object out{{"items", items}, {"covered_years", years}};
    if (year) out["covered"] = covered.contains(static_cast<int>(*year));
    return Response::json(out);
  });

  // The halls, and which window serves what (B6.4).
  router.get("/api/v1/public/halls", Access::public_(), [&deps](Request&) {
    json::array items;
    for (const auto& h : deps.db->read([](soci::session& s) { return org::store::halls(s); }))
      items.push_back(hall_json(h));
    return Response::json(json::object{{"items", items}});
  });

  router.get("/api/v1/public/windows", Access::public_(), [&deps, &cal](Request& req) {
    std::int64_t hall = cal.resolve_hall(hall_param(req));
    json::array items;
    if (hall) {
      auto [windows, duty] = deps.db->read([&](soci::session& s) {
        return std::make_pair(org::store::active_windows(s, hall), store::on_duty(s, hall));
      });
      for (const auto& w : windows) {
        json::value unit = nullptr;
        if (w.unit_id)
          unit = json::object{{"id", *w.unit_id},
                              {"name", w.unit_name},
                              {"name_en", w.unit_name_en},
                              {"phone", w.unit_phone},
                              {"location", w.unit_location}};
        json::value on_duty = nullptr;
        // Who is at the window now, as a student at the counter sees it: the masked name
        // (王*明, the one masking rule of documents/model.hpp) and the sitting's id, which a
        // complaint may name (C2) — never the staff member's id, login or full name.
        for (const auto& d : duty)
          if (d.window_id == w.id)
            on_duty = json::object{{"window_session_id", d.window_session_id},
                                   {"staff", documents::mask_name(d.staff_name)}};
        items.push_back(json::object{{"id", w.id},
                                     {"number", w.number},
                                     {"name", w.name},
                                     {"name_en", w.name_en},
                                     {"is_complaints", w.is_complaints},  // C2: window 10
                                     {"unit", unit},
                                     {"on_duty", on_duty}});
      }
    }
    return Response::json(json::object{{"hall", hall_info(deps, hall)}, {"items", items}});
  });

  // --- administration (calendar.write) ---------------------------------------

  const Access write = Access::perm("calendar.write");

  router.post("/api/v1/calendar/holidays", write, [&cal](Request& req) {
    return Response::json(to_json(cal.add_holiday(caller_of(req), req.json_body())), 201);
  });
  router.patch("/api/v1/calendar/holidays/{date}", write, [&cal](Request& req) {
    return Response::json(to_json(cal.edit_holiday(caller_of(req), req.params.at("date"), req.json_body())));
  });
  router.del("/api/v1/calendar/holidays/{date}", write, [&cal](Request& req) {
    cal.delete_holiday(caller_of(req), req.params.at("date"));
    return Response::no_content();
  });

  auto year_of = [](const Request& req) {
    const std::string& y = req.params.at("year");
    if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string::npos)
      throw hall::errors::not_found.with("", Text{"记录", "record"});
    return std::stoi(y);
  };
  router.put("/api/v1/calendar/years/{year}", write, [&cal, year_of](Request& req) {
    cal.set_year_covered(caller_of(req), year_of(req), true);
    return Response::no_content();
  });
  router.del("/api/v1/calendar/years/{year}", write, [&cal, year_of](Request& req) {
    cal.set_year_covered(caller_of(req), year_of(req), false);
    return Response::no_content();
  });

  router.post("/api/v1/calendar/holidays/import", write, [&cal](Request& req) {
    JsonFields f(req.json_body());
    IcsImportRequest r;
    r.ics = f.required_string("ics", 1'000'000);
    if (const auto* years = f.optional_array("years")) {
      for (const auto& y : *years) {
        if (!y.is_int64())
          throw hall::errors::wrong_type.with("years", Text{"years", "years"},
                                              Text{"年份数组", "an array of years"});
        r.years.insert(static_cast<int>(y.as_int64()));
      }
    }
    r.apply = f.optional_bool("apply").value_or(false);
    f.finish();
    return Response::json(cal.import_ics(caller_of(req), r));
  });

  router.post("/api/v1/calendar/closures", write, [&cal](Request& req) {
    return Response::json(to_json(cal.add_closure(caller_of(req), req.json_body())), 201);
  });
  router.patch("/api/v1/calendar/closures/{id}", write, [&cal](Request& req) {
    return Response::json(to_json(cal.edit_closure(caller_of(req), req.param_id("id"), req.json_body())));
  });
  router.del("/api/v1/calendar/closures/{id}", write, [&cal](Request& req) {
    cal.delete_closure(caller_of(req), req.param_id("id"));
    return Response::no_content();
  });

  router.put("/api/v1/calendar/hours/{hall_id}", write, [&cal](Request& req) {
    std::int64_t hall = req.param_id("hall_id");
    cal.set_hours(caller_of(req), hall, req.json_body());
    return Response::json(hours_to_json(cal.for_hall(hall)->opening_hours()));
  });
  router.del("/api/v1/calendar/hours/{hall_id}", write, [&cal](Request& req) {
    std::int64_t hall = req.param_id("hall_id");
    cal.reset_hours(caller_of(req), hall);
    return Response::json(hours_to_json(cal.for_hall(hall)->opening_hours()));
  });
}

}  // namespace hall::calendar
