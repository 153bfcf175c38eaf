#include "queue/model.hpp"

#include "queue/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace hall::queue {

// ---------------------------------------------------------------------------
// States

std::string_view to_string(Status s) {
  switch (s) {
    case Status::waiting: return "waiting";
    case Status::called: return "called";
    case Status::serving: return "serving";
    case Status::done: return "done";
    case Status::no_show: return "no_show";
    case Status::cancelled: return "cancelled";
  }
  return "waiting";
}

std::optional<Status> parse_status(std::string_view s) {
  for (Status st : {Status::waiting, Status::called, Status::serving, Status::done, Status::no_show, Status::cancelled})
    if (to_string(st) == s) return st;
  return std::nullopt;
}

Text status_text(Status s) {
  switch (s) {
    case Status::waiting: return {"等候中", "waiting"};
    case Status::called: return {"已叫号", "called"};
    case Status::serving: return {"办理中", "being served"};
    case Status::done: return {"已办结", "finished"};
    case Status::no_show: return {"已过号", "no-show"};
    case Status::cancelled: return {"已取消", "cancelled"};
  }
  return {};
}

bool is_open(Status s) { return s == Status::waiting || s == Status::called || s == Status::serving; }

std::string_view to_string(Action a) {
  switch (a) {
    case Action::call: return "call";
    case Action::recall: return "recall";
    case Action::start: return "start";
    case Action::finish: return "finish";
    case Action::no_show: return "no_show";
    case Action::rejoin: return "rejoin";
    case Action::transfer: return "transfer";
    case Action::cancel: return "cancel";
    case Action::mark_green: return "mark_green";
  }
  return "";
}

bool allowed(Action a, Status from) {
  switch (a) {
    case Action::call: return from == Status::waiting;
    case Action::recall: return from == Status::called;
    case Action::start: return from == Status::called;
    case Action::finish: return from == Status::serving;
    case Action::no_show: return from == Status::called;
    case Action::rejoin: return from == Status::no_show;
    case Action::transfer: return from == Status::called || from == Status::serving;
    case Action::cancel: return from == Status::waiting;
    case Action::mark_green: return from == Status::waiting;
  }
  return false;
}

Status after(Action a, Status from) {
  switch (a) {
    case Action::call: return Status::called;
    case Action::recall: return Status::called;
    case Action::start: return Status::serving;
    case Action::finish: return Status::done;
    case Action::no_show: return Status::no_show;
    case Action::rejoin: return Status::waiting;
    case Action::transfer: return Status::waiting;
    case Action::cancel: return Status::cancelled;
    case Action::mark_green: return from;
  }
  return from;
}

void check_transition(Action a, Status current, bool already_rejoined) {
  if (!allowed(a, current)) {
    Text st = status_text(current);
    const ErrorSpec& e = errors::invalid_transition;  // the status named in each language
    throw ApiError(e.status, e.code,
                   {fmt::format(fmt::runtime(e.message.zh), st.zh), fmt::format(fmt::runtime(e.message.en), st.en)});
  }
  if (a == Action::rejoin && already_rejoined)
    throw errors::rejoin_used();
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::done: return "done";
    case Outcome::needs_materials: return "needs_materials";
    case Outcome::referred: return "referred";
    case Outcome::cannot_handle: return "cannot_handle";
  }
  return "done";
}

std::optional<Outcome> parse_outcome(std::string_view s) {
  for (Outcome o : {Outcome::done, Outcome::needs_materials, Outcome::referred, Outcome::cannot_handle})
    if (to_string(o) == s) return o;
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Numbers

std::string queue_group(std::string_view prefix) { return prefix.empty() ? std::string("Q") : std::string(prefix); }

std::string format_number(std::string_view group, std::int64_t seq) {
  // Three digits for the first 999 of the day; a busy day widens past A999 to A1000.
  return fmt::format("{}{:03d}", group, seq);
}

std::string spoken_call(std::string_view number, int window_number) {
  return fmt::format("请 {} 号到 {} 号窗口办理", number, window_number);
}

// ---------------------------------------------------------------------------
// Call order

Lane lane_of(const QueueEntry& e, Millis now) {
  if (e.rejoined) return Lane::ordinary;
  if (e.green) return Lane::green;
  if (e.slot_start && *e.slot_start <= now) return Lane::appointment;
  return Lane::ordinary;
}

static auto rank(const QueueEntry& e, Millis now) {
  Lane l = lane_of(e, now);
  std::int64_t slot = l == Lane::appointment ? *e.slot_start : 0;
  return std::make_tuple(static_cast<int>(l), slot, e.sort_key, e.id);
}

bool called_before(const QueueEntry& a, const QueueEntry& b, Millis now) { return rank(a, now) < rank(b, now); }

std::vector<QueueEntry> call_order(std::vector<QueueEntry> waiting, Millis now) {
  std::sort(waiting.begin(), waiting.end(),
            [now](const QueueEntry& a, const QueueEntry& b) { return called_before(a, b, now); });
  return waiting;
}

std::optional<QueueEntry> next_to_call(const std::vector<QueueEntry>& waiting, Millis now) {
  if (waiting.empty()) return std::nullopt;
  return *std::min_element(waiting.begin(), waiting.end(),
                           [now](const QueueEntry& a, const QueueEntry& b) { return called_before(a, b, now); });
}

std::int64_t sort_key_for(Millis taken, std::int64_t seq) { return (taken * 1000 + seq % 1000) * 1000; }

std::int64_t rejoin_sort_key(const std::vector<QueueEntry>& group_waiting, Millis now, std::int64_t fallback,
                             int places) {
  auto order = call_order(group_waiting, now);
  std::vector<const QueueEntry*> ordinary;
  for (const auto& e : order)
    if (lane_of(e, now) == Lane::ordinary) ordinary.push_back(&e);
  std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(std::max(places, 0)), order.size());
  if (order.empty()) return fallback;
  if (k == 0) return ordinary.empty() ? fallback : ordinary.front()->sort_key - 1;
  const QueueEntry& kth = order[k - 1];
  if (lane_of(kth, now) != Lane::ordinary) {
    // The k-th is a green or due appointment ticket: every ordinary ticket
    // comes after it anyway, so go before the first ordinary one.
    return ordinary.empty() ? std::max(fallback, kth.sort_key + 1) : ordinary.front()->sort_key - 1;
  }
  // After the k-th, before the one that follows it in the ordinary lane.
  auto it = std::find(ordinary.begin(), ordinary.end(), &kth);
  if (it + 1 == ordinary.end()) return kth.sort_key + 1000;
  std::int64_t gap = (*(it + 1))->sort_key - kth.sort_key;
  return kth.sort_key + std::max<std::int64_t>(1, gap / 2);
}

int people_ahead(const std::vector<QueueEntry>& waiting, const QueueEntry& me, Millis now) {
  int n = 0;
  for (const auto& e : waiting)
    if (e.id != me.id && called_before(e, me, now)) ++n;
  return n;
}

// ---------------------------------------------------------------------------
// Wait

double mean_service_minutes(const std::vector<Millis>& durations_ms) {
  if (durations_ms.empty()) return kDefaultServiceMinutes;
  double sum = 0;
  for (Millis d : durations_ms) sum += std::clamp(static_cast<double>(d) / 60000.0, 0.5, 60.0);
  return sum / static_cast<double>(durations_ms.size());
}

int estimated_wait_minutes(int people_ahead, double mean_minutes, int open_windows) {
  if (people_ahead <= 0) return 0;
  if (!(mean_minutes > 0)) mean_minutes = kDefaultServiceMinutes;
  double w = people_ahead * mean_minutes / std::max(1, open_windows);
  return static_cast<int>(std::ceil(w - 1e-9));
}

// ---------------------------------------------------------------------------
// Refusals

std::optional<Refusal> take_refusal(const TakeContext& c) {
  if (c.suspended)
    return Refusal{409, "item_suspended", {"该事项暂停受理", "This service is suspended for now"}};
  if (!c.served_on_site)
    return Refusal{422, "item_not_served_today",
                   {"该事项今天不在大厅窗口办理", "This service is not handled at the hall's windows today"}};
  if (!c.working_day || !c.open_now)
    return Refusal{409, "hall_closed", {"大厅现在不办公，请在开放时间取号", "The hall is closed now; please come during opening hours"}};
  if (!c.open_in_15_minutes)
    return Refusal{409, "hall_closed",
                   {fmt::format("大厅将在 {} 分钟内停止办理，今天不再取号", kClosingSoonMinutes),
                    fmt::format("The hall closes within {} minutes; no more numbers today", kClosingSoonMinutes)}};
  if (!c.period_open)
    return Refusal{422, "application_period_over",
                   {"不在该事项的申请时间内", "This service is outside its application period"}};
  if (c.daily_quota && c.taken_today >= *c.daily_quota)
    return Refusal{409, "daily_quota_reached",
                   {fmt::format("该事项今日 {} 个号已全部发完，请改日再来", *c.daily_quota),
                    fmt::format("All {} numbers for this service today have been given out", *c.daily_quota)}};
  if (c.holding_open_ticket)
    return Refusal{409, "already_holding_ticket",
                   {"您已取得该事项的号，请勿重复取号", "You already hold a number for this service"}};
  return std::nullopt;
}

ApiError to_error(const Refusal& r) { return ApiError(r.status, r.code, r.message); }

Text status_message(Status s, int people_ahead, int wait_minutes, std::optional<int> window_number) {
  switch (s) {
    case Status::waiting:
      if (people_ahead == 0) return {"您是下一位，请留意叫号", "You are next; please watch the board"};
      return {fmt::format("前面还有 {} 人，预计等待 {} 分钟", people_ahead, wait_minutes),
              fmt::format("{} ahead of you, about {} min", people_ahead, wait_minutes)};
    case Status::called:
      return {fmt::format("请到 {} 号窗口办理", window_number.value_or(0)),
              fmt::format("Your number is called — go to window {}", window_number.value_or(0))};
    case Status::serving:
      return {fmt::format("正在 {} 号窗口办理", window_number.value_or(0)),
              fmt::format("Being served at window {}", window_number.value_or(0))};
    case Status::done: return {"已办结，感谢您的耐心", "Finished — thank you"};
    case Status::no_show: return {"已过号，请联系窗口工作人员", "Your number was missed; please ask at a window"};
    case Status::cancelled: return {"已取消", "Cancelled"};
  }
  return {};
}

}  // namespace hall::queue
