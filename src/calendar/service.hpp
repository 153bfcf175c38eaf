// The working-day calendar of a running Hall (B6.1, B6.3): national holidays
// and adjusted working days, per-hall closures and opening hours, stored in the
// database and edited by administrators (calendar.write).
//
// Other capabilities (queue, cases, first responder) ask it for due dates:
//
//   auto cal = deps.calendar->for_hall(hall_id);          // shared, immutable
//   Date due = cal->add_working_days(start, n);           // B6.3
//   Instant at = cal->deadline_after_working_days(t, 1);  // B6.1: within one working day
//
// for_hall() is a map lookup under a mutex returning a std::shared_ptr to an
// immutable HallCalendar; every write here rebuilds (lazily, on the next
// for_hall) and swaps it atomically, so readers never see half an update and
// keep the calendar they hold for as long as they hold it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "calendar/model.hpp"
#include "core/json.hpp"
#include "db/database.hpp"

namespace hall::calendar {

// One stored closure (寒假, 暑假, one-off) of a hall.
struct ClosureRecord {
  std::int64_t id = 0;
  std::int64_t hall_id = 0;
  Date first, last;
  std::string name;
  std::string kind;  // winter / summer / other
  std::string note;
  std::int64_t updated_at = 0;
};

struct HolidayRecord {
  Date date;
  std::string name;
  bool off_day = true;
  std::string source;  // shipped / admin / ics
};

struct ClosureInput {
  std::optional<std::int64_t> hall_id;
  std::optional<Date> first, last;
  std::optional<std::string> name, kind, note;
};

// What an .ics import would change (dry run) or changed.
struct IcsImportRequest {
  std::string ics;
  std::set<int> years;  // empty: what the file declares or lists
  bool apply = false;
};

class CalendarService {
 public:
  // Seeds the national data from `holidays_dir` (data/holidays/*.json) for every
  // shipped year not seeded before (so a later release's new year file is picked
  // up, and an administrator's edits are never overwritten).
  CalendarService(db::Database& db, std::filesystem::path holidays_dir,
                  std::chrono::seconds utc_offset = std::chrono::hours(8));

  // --- used everywhere -----------------------------------------------------
  // The calendar of a hall: national data + its closures + its opening hours.
  // hall_id 0: the hall's default (the first hall; with no hall yet, the
  // national calendar with the default hours). Unknown hall → 404 hall_not_found.
  std::shared_ptr<const HallCalendar> for_hall(std::int64_t hall_id = 0) const;
  // The hall that hall_id 0 stands for (0 when there is no hall).
  std::int64_t resolve_hall(std::int64_t hall_id) const;
  // Shorthands: B6.3 due date and due instant for a hall.
  Date due_date(std::int64_t hall_id, Date start, int working_days) const {
    return for_hall(hall_id)->add_working_days(start, working_days);
  }
  Instant deadline(std::int64_t hall_id, Instant start, int working_days) const {
    return for_hall(hall_id)->deadline_after_working_days(start, working_days);
  }
  // Drops every cached calendar (after writes made outside this service).
  void invalidate() const;
  // The calendar of a hall as the session `s` sees it (inside a write, with
  // that write's changes), built afresh and not cached.
  std::shared_ptr<const HallCalendar> build(soci::session& s, std::int64_t hall_id) const;

  // Called inside the transaction of every change to the national data (an
  // .ics import, a holiday added, edited or removed, a year marked covered or
  // not) after the change is written: the capabilities that stored answers
  // computed from the calendar (cases: due instants computed provisionally)
  // recompute them in the same transaction and return what they changed, which
  // the import's report lists under "recomputed".
  using NationalChangeListener =
      std::function<json::array(soci::session& s, const auth::Caller& c, const CalendarService& cal)>;
  void on_national_change(NationalChangeListener listener) { listeners_.push_back(std::move(listener)); }

  // --- reads for the API ---------------------------------------------------
  std::vector<HolidayRecord> holidays(std::optional<int> year) const;
  std::set<int> covered_years() const;
  std::vector<ClosureRecord> closures(std::int64_t hall_id) const;
  // The stored hours document of a hall (nullopt: the default hours).
  std::optional<std::string> stored_hours(std::int64_t hall_id) const;

  // --- administration (calendar.write), audited, one transaction each --------
  HolidayRecord add_holiday(const auth::Caller& c, const json::value& body);
  HolidayRecord edit_holiday(const auth::Caller& c, const std::string& date, const json::value& body);
  void delete_holiday(const auth::Caller& c, const std::string& date);
  void set_year_covered(const auth::Caller& c, int year, bool covered);
  json::object import_ics(const auth::Caller& c, const IcsImportRequest& req);

  ClosureRecord add_closure(const auth::Caller& c, const json::value& body);
  ClosureRecord edit_closure(const auth::Caller& c, std::int64_t id, const json::value& body);
  void delete_closure(const auth::Caller& c, std::int64_t id);

  // body: {"adjusted_workday_as":"mon","weekly":{…},"seasons":[…]} (strictly checked).
  void set_hours(const auth::Caller& c, std::int64_t hall_id, const json::value& body);
  void reset_hours(const auth::Caller& c, std::int64_t hall_id);

  std::chrono::seconds utc_offset() const { return offset_; }
  db::Database& database() const { return db_; }

 private:
  std::shared_ptr<const HolidayCalendar> national(soci::session& s) const;
  void seed_shipped(const std::filesystem::path& dir);
  void changed_national() const;
  json::array notify_national(soci::session& s, const auth::Caller& c) const;
  void changed_hall(std::int64_t hall_id) const;

  db::Database& db_;
  std::chrono::seconds offset_;
  mutable std::mutex mu_;
  mutable std::uint64_t generation_ = 0;
  mutable std::shared_ptr<const HolidayCalendar> national_;
  mutable std::map<std::int64_t, std::shared_ptr<const HallCalendar>> halls_;
  mutable std::int64_t default_hall_ = 0;
  std::vector<NationalChangeListener> listeners_;  // set at start-up, before serving
};

// JSON of the stored records and of opening hours, as the API shows them.
json::object to_json(const ClosureRecord& c);
json::object to_json(const HolidayRecord& h);
json::object hours_to_json(const OpeningHours& h);
json::array day_hours_json(const DayHours& h);
// Strict reading of an hours document (unknown keys, overlapping seasons, a
// week without any opening → 400 naming the field); returns the canonical JSON.
std::string validate_hours_document(const json::value& body);

}  // namespace hall::calendar
