// All SQL of the reports capability (issue #12 §3). Reports own only their
// snapshots (report_month_snapshots); the monthly figures are read from the
// tables of the modules that record the service — each read below names the
// owner. They stay here, as aggregate queries over a month, because going
// through each owner's row-by-row API would read every row of the month into
// memory twice (the figures are computed on every live request).
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"

namespace hall::reports::store {

// --- queue (owner: queue — queue_tickets, queue_sequences; catalog item versions, org units) ---
struct ServedTicket {
  std::optional<std::string> outcome;
  std::string service_date;
  Millis taken = 0, finished = 0;
  std::optional<Millis> called, started;
  bool demo = false;
  long long item = 0, unit = 0;
  std::string item_name, item_name_en, unit_name, unit_name_en;
};
// Tickets of the hall finished (status done) in [from, to).
void served_tickets(soci::session& s, std::int64_t hall, Millis from, Millis to,
                    const std::function<void(const ServedTicket&)>& on_ticket);
long long no_shows(soci::session& s, std::int64_t hall, Millis from, Millis to);
long long cancellations(soci::session& s, std::int64_t hall, Millis from, Millis to);
std::optional<Millis> first_ticket_at(soci::session& s, std::int64_t hall);

// --- cases (owner: cases) — B6.3 ---
// (due_at, completed_at) of the cases completed in [from, to).
std::vector<std::pair<std::optional<Millis>, Millis>> completed_cases(soci::session& s, std::int64_t hall, Millis from,
                                                                       Millis to);
// Cases accepted, not paused or refused, past their due instant at `cut` and not completed by then.
long long overdue_open_cases(soci::session& s, std::int64_t hall, Millis cut);
std::optional<Millis> first_case_at(soci::session& s, std::int64_t hall);

// --- documents (owner: documents) — B5 accuracy: (issued, corrected) for the hall ---
std::pair<long long, long long> documents_issued(soci::session& s, std::int64_t hall, Millis from, Millis to);

// --- feedback (owner: feedback) — B5: counts by level (1..5) of the ratings that count ---
std::map<int, long long> rating_levels(soci::session& s, std::int64_t hall, Millis from, Millis to);

// --- org (owner: org — halls) ---
std::pair<std::string, std::string> hall_names(soci::session& s, std::int64_t hall);
std::optional<Millis> hall_created_at(soci::session& s, std::int64_t hall);

// --- demo history (writes the queue's tables for the demo only; see seed_demo_history) ---
long long demo_tickets(soci::session& s, std::int64_t hall);
long long tickets_taken(soci::session& s, std::int64_t hall, Millis from, Millis to);
struct DemoTicket {
  long long item = 0, version = 0, window = 0, student = 0;
  std::string group;
  Millis started = 0, finished = 0;
};
std::vector<DemoTicket> demo_served(soci::session& s, std::int64_t hall);
struct NewDemoTicket {
  std::string date, number, group, token, outcome;
  long long seq = 0, item = 0, version = 0, student = 0, key = 0, window = 0;
  Millis taken = 0, called = 0, started = 0, finished = 0;
};
void insert_demo_ticket(soci::session& s, std::int64_t hall, const NewDemoTicket& t);
void insert_sequence(soci::session& s, std::int64_t hall, const std::string& date, const std::string& group,
                     long long last);

// --- snapshots (owner: reports) — B6.4 ---
struct Snapshot {
  std::string figures;
  Millis computed_at = 0;
};
std::optional<Snapshot> snapshot(soci::session& s, std::int64_t hall, const std::string& month);
// The first snapshot wins when two are stored at once.
void insert_snapshot(soci::session& s, std::int64_t hall, const std::string& month, const std::string& figures,
                     Millis at);
std::map<std::string, Millis> snapshot_months(soci::session& s, std::int64_t hall);

}  // namespace hall::reports::store
