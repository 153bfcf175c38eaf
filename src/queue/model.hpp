// The queue's pure rules (A5, A6, B6.5): ticket states and the transitions
// between them, ticket numbers, call order, where a rejoining no-show goes,
// people ahead, estimated wait, and when taking a number is refused.
// No database, no HTTP, no clock: everything here is tested as tables
// (tests/queue/model_test.cpp) and the store's SQL mirrors these rules
// (tests/queue/store_order_test.cpp checks that it does).
//
//   A5  all business is handled at the service windows — the queue is the way in.
//   A6  windows work efficiently and in order, without errors: call order is a
//       rule, not a habit; a ticket is with exactly one window at a time.
//   B6.5 green channel: urgent or special cases are served first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace hall::queue {

// ---------------------------------------------------------------------------
// States and transitions

enum class Status { waiting, called, serving, done, no_show, cancelled };
std::string_view to_string(Status s);
std::optional<Status> parse_status(std::string_view s);
Text status_text(Status s);
// A ticket that still needs the hall: waiting, called or serving.
bool is_open(Status s);

enum class Action { call, recall, start, finish, no_show, rejoin, transfer, cancel, mark_green };
std::string_view to_string(Action a);

// Whether the action may be taken from the status.
bool allowed(Action a, Status from);
// The status after the action (only meaningful when allowed()).
Status after(Action a, Status from);
// Throws 409 invalid_transition naming the current status when not allowed;
// 409 rejoin_used for a second rejoin (a no-show may rejoin once).
void check_transition(Action a, Status current, bool already_rejoined = false);

enum class Outcome { done, needs_materials, referred, cannot_handle };
std::string_view to_string(Outcome o);
std::optional<Outcome> parse_outcome(std::string_view s);

// ---------------------------------------------------------------------------
// Ticket numbers: queue prefix + daily sequence, A001 … A999, then A1000 (widened).

// The group of an item: its queue prefix, or "Q" when the item has none.
std::string queue_group(std::string_view prefix);
std::string format_number(std::string_view group, std::int64_t seq);

// The spoken call on the board: "请 A012 号到 3 号窗口办理".
std::string spoken_call(std::string_view number, int window_number);

// ---------------------------------------------------------------------------
// Call order

// What the order needs to know about a waiting ticket.
struct QueueEntry {
  std::int64_t id = 0;
  bool green = false;                   // B6.5
  bool rejoined = false;                // a no-show that rejoined: ordered by its rejoin position only
  std::optional<Millis> slot_start;     // a checked-in appointment
  std::int64_t sort_key = 0;            // take time (kept on transfer), or the rejoin position
};

// The lanes, in call order: green channel (oldest first), appointments whose
// slot has started (by slot start), everyone else (oldest first). A rejoined
// no-show is always in the ordinary lane at its rejoin position.
enum class Lane { green = 0, appointment = 1, ordinary = 2 };
Lane lane_of(const QueueEntry& e, Millis now);
// Strict weak order: a is called before b.
bool called_before(const QueueEntry& a, const QueueEntry& b, Millis now);
// Sorted in call order.
std::vector<QueueEntry> call_order(std::vector<QueueEntry> waiting, Millis now);
// The ticket a window calls next, from the waiting tickets it may call.
std::optional<QueueEntry> next_to_call(const std::vector<QueueEntry>& waiting, Millis now);

// The sort key of a ticket taken at `taken` with daily sequence `seq`: take
// time first, the sequence breaks ties within one millisecond, and the low
// three digits stay free for rejoin positions between two tickets.
std::int64_t sort_key_for(Millis taken, std::int64_t seq);

// Where a rejoining no-show goes: after the next `places` (3) waiting tickets
// of its group in call order (at the end when fewer wait). `group_waiting`
// holds the group's waiting tickets (without the rejoining one); `fallback`
// is used when nobody waits (the rejoin time's key).
std::int64_t rejoin_sort_key(const std::vector<QueueEntry>& group_waiting, Millis now, std::int64_t fallback,
                             int places = 3);

// How many of `waiting` are called before `me` (me itself excluded).
int people_ahead(const std::vector<QueueEntry>& waiting, const QueueEntry& me, Millis now);

// ---------------------------------------------------------------------------
// Estimated wait = people ahead × recent mean service time ÷ open windows serving the group.

inline constexpr double kDefaultServiceMinutes = 5.0;  // with no history yet
inline constexpr std::size_t kRecentServices = 20;     // the mean is over the last 20 services

// Mean of the given service durations (ms), each clipped to [0.5, 60] minutes;
// kDefaultServiceMinutes when there are none.
double mean_service_minutes(const std::vector<Millis>& durations_ms);
// Whole minutes, rounded up; with no open window the estimate assumes one.
int estimated_wait_minutes(int people_ahead, double mean_service_minutes, int open_windows);

// ---------------------------------------------------------------------------
// Taking a number: when it is refused, and why.

struct TakeContext {
  bool suspended = false;           // the item is suspended (暂停受理)
  bool served_on_site = true;       // the item has an active window in this hall
  bool working_day = true;          // today is a working day of the hall
  bool open_now = true;             // within opening hours now
  bool open_in_15_minutes = true;   // and still open 15 minutes from now
  bool period_open = true;          // B6.2 (3): within an application period (or none)
  std::optional<int> daily_quota;   // none: unlimited
  int taken_today = 0;              // tickets of the item issued today (cancelled ones excluded)
  bool holding_open_ticket = false; // the student already holds an open ticket for the item
};

struct Refusal {
  int status = 409;
  std::string code;
  Text message;
};

inline constexpr int kClosingSoonMinutes = 15;

// The first rule that refuses, in this order: suspended, not served on site,
// hall closed (non-working day, outside hours, closing within 15 minutes),
// application period over, daily quota reached, already holding a ticket.
std::optional<Refusal> take_refusal(const TakeContext& c);
ApiError to_error(const Refusal& r);

// ---------------------------------------------------------------------------
// Green channel (B6.5): the configured reasons; "other" needs a text.

inline const char* const kGreenReasonOther = "other";

// The public status message of a ticket: "前面还有 3 人，预计等待 15 分钟",
// "请到 3 号窗口办理", …
Text status_message(Status s, int people_ahead, int wait_minutes, std::optional<int> window_number);

}  // namespace hall::queue
