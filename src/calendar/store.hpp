// SQL of the calendar: national holidays and covered years, closures, hours.
// Every function runs inside the caller's transaction.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calendar/service.hpp"

namespace hall::calendar::store {

std::set<int> covered_years(soci::session& s);
std::vector<HolidayRecord> holidays(soci::session& s, std::optional<int> year = std::nullopt);
std::optional<HolidayRecord> find_holiday(soci::session& s, Date date);
void upsert_holiday(soci::session& s, const HolidayRecord& h, long long now);
void delete_holiday(soci::session& s, Date date);
void set_year(soci::session& s, int year, bool covered, const std::string& source, long long now);

std::vector<ClosureRecord> closures(soci::session& s, std::int64_t hall_id);
std::optional<ClosureRecord> find_closure(soci::session& s, std::int64_t id);
std::int64_t insert_closure(soci::session& s, const ClosureRecord& c, long long now);
void update_closure(soci::session& s, const ClosureRecord& c, long long now);
void delete_closure(soci::session& s, std::int64_t id);

std::optional<std::string> hours(soci::session& s, std::int64_t hall_id);
void set_hours(soci::session& s, std::int64_t hall_id, const std::optional<std::string>& doc, long long now);

// Halls are org's: org::store::exists(s, "halls", id), org::store::first_hall.

// Who sits at each window of a hall now (the public windows page, C2): one JOIN of
// queue's queue_window_sessions, org's windows and auth's users, instead of a query
// per window through their stores, because kiosks poll the page (owners: queue, org, auth).
struct OnDuty {
  std::int64_t window_session_id = 0;
  std::int64_t window_id = 0;
  std::string staff_name;  // unmasked: the route masks it
};
std::vector<OnDuty> on_duty(soci::session& s, std::int64_t hall_id);

std::optional<std::string> setting(soci::session& s, const std::string& key);
void set_setting(soci::session& s, const std::string& key, const std::string& value);

}  // namespace hall::calendar::store
