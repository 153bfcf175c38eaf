// The queue's pure rules as tables, without a database (queue/model.hpp):
// transitions (transitions.tsv), take-a-number refusals (refusals.tsv),
// ticket numbers, call order, rejoin placement, people ahead, estimated wait.
#include <gtest/gtest.h>

#include <random>

#include "queue/model.hpp"
#include "support/test_support.hpp"

namespace hall::queue {
namespace {

std::optional<Action> parse_action(const std::string& s) {
  for (Action a : {Action::call, Action::recall, Action::start, Action::finish, Action::no_show, Action::rejoin,
                   Action::transfer, Action::cancel, Action::mark_green})
    if (to_string(a) == s) return a;
  return std::nullopt;
}

TEST(QueueModel, TransitionsTable) {
  auto rows = test::read_tsv("tests/queue/transitions.tsv", 3, 3);
  ASSERT_GE(rows.size(), 30u);
  for (const auto& r : rows) {
    SCOPED_TRACE(r[0] + " from " + r[1]);
    ASSERT_EQ(r.size(), 3u);
    auto a = parse_action(r[0]);
    ASSERT_TRUE(a);
    bool rejoined = r[1].ends_with("+rejoined");
    auto from = parse_status(rejoined ? r[1].substr(0, r[1].size() - 9) : r[1]);
    ASSERT_TRUE(from);
    if (r[2] == "invalid_transition" || r[2] == "rejoin_used") {
      try {
        check_transition(*a, *from, rejoined);
        ADD_FAILURE() << "allowed";
      } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 409);
        EXPECT_EQ(e.code(), r[2]);
        // The message names the current status.
        if (r[2] == "invalid_transition") EXPECT_NE(e.message().zh.find(status_text(*from).zh), std::string::npos);
      }
    } else {
      EXPECT_NO_THROW(check_transition(*a, *from, rejoined));
      EXPECT_EQ(to_string(after(*a, *from)), r[2]);
    }
  }
}

TEST(QueueModel, EveryActionFromEveryStatusIsDecided) {
  // No status × action pair is left to chance: terminal states allow nothing but rejoin from no_show.
  for (Status s : {Status::done, Status::cancelled})
    for (Action a : {Action::call, Action::recall, Action::start, Action::finish, Action::no_show, Action::rejoin,
                     Action::transfer, Action::cancel, Action::mark_green})
      EXPECT_FALSE(allowed(a, s)) << to_string(a) << " from " << to_string(s);
}

TEST(QueueModel, RefusalsTable) {
  auto rows = test::read_tsv("tests/queue/refusals.tsv", 10, 10);
  ASSERT_GE(rows.size(), 12u);
  for (const auto& r : rows) {
    ASSERT_EQ(r.size(), 10u);
    SCOPED_TRACE(r.where());
    TakeContext c;
    c.suspended = r[0] == "1";
    c.served_on_site = r[1] == "1";
    c.working_day = r[2] == "1";
    c.open_now = r[3] == "1";
    c.open_in_15_minutes = r[4] == "1";
    c.period_open = r[5] == "1";
    if (r[6] != "-") c.daily_quota = std::stoi(r[6]);
    c.taken_today = std::stoi(r[7]);
    c.holding_open_ticket = r[8] == "1";
    auto got = take_refusal(c);
    if (r[9] == "ok") {
      EXPECT_FALSE(got) << got->code;
    } else {
      ASSERT_TRUE(got);
      EXPECT_EQ(std::to_string(got->status) + " " + got->code, r[9]);
      EXPECT_FALSE(got->message.zh.empty());
      EXPECT_FALSE(got->message.en.empty());
    }
  }
}

TEST(QueueModel, TicketNumbers) {
  struct Row {
    const char* prefix;
    std::int64_t seq;
    const char* number;
  } rows[] = {{"A", 1, "A001"}, {"A", 12, "A012"}, {"B", 999, "B999"}, {"B", 1000, "B1000"},
              {"C", 12345, "C12345"}, {"", 7, "Q007"}, {"J", 100, "J100"}};
  for (const auto& r : rows) EXPECT_EQ(format_number(queue_group(r.prefix), r.seq), r.number);
  EXPECT_EQ(spoken_call("A012", 3), "请 A012 号到 3 号窗口办理");
}

constexpr Millis T0 = 1'795'000'000'000;  // an instant in 2026
constexpr Millis MIN = 60'000;

QueueEntry ord(std::int64_t id, Millis taken) { return {id, false, false, std::nullopt, sort_key_for(taken, id)}; }
QueueEntry green(std::int64_t id, Millis taken) { return {id, true, false, std::nullopt, sort_key_for(taken, id)}; }
QueueEntry appt(std::int64_t id, Millis taken, Millis slot) { return {id, false, false, slot, sort_key_for(taken, id)}; }

std::vector<std::int64_t> ids(const std::vector<QueueEntry>& v) {
  std::vector<std::int64_t> out;
  for (auto& e : v) out.push_back(e.id);
  return out;
}

TEST(QueueModel, CallOrderTable) {
  Millis now = T0 + 60 * MIN;
  struct Case {
    const char* name;
    std::vector<QueueEntry> waiting;
    std::vector<std::int64_t> order;
  } cases[] = {
      {"oldest first", {ord(2, T0 + 2 * MIN), ord(1, T0 + MIN), ord(3, T0 + 3 * MIN)}, {1, 2, 3}},
      {"same millisecond: the daily sequence decides", {ord(5, T0), ord(4, T0)}, {4, 5}},
      {"green channel before everyone, oldest green first",
       {ord(1, T0), green(3, T0 + 3 * MIN), green(2, T0 + 2 * MIN), ord(4, T0 + 4 * MIN)},
       {2, 3, 1, 4}},
      {"due appointments after green, by slot start",
       {ord(1, T0), appt(2, T0 + 50 * MIN, T0 + 30 * MIN), appt(3, T0 + 40 * MIN, T0), green(4, T0 + 55 * MIN)},
       {4, 3, 2, 1}},
      {"an appointment whose slot has not started waits as an ordinary ticket",
       {ord(1, T0 + 10 * MIN), appt(2, T0 + 5 * MIN, now + 30 * MIN), ord(3, T0 + 20 * MIN)},
       {2, 1, 3}},
      {"a slot that starts exactly now is due", {ord(1, T0), appt(2, T0 + 30 * MIN, now)}, {2, 1}},
      {"a rejoined ticket keeps only its rejoin position, even if green",
       {ord(1, T0 + MIN), QueueEntry{2, true, true, std::nullopt, sort_key_for(T0 + 2 * MIN, 2)}, ord(3, T0 + 3 * MIN)},
       {1, 2, 3}},
      {"empty", {}, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ids(call_order(c.waiting, now)), c.order);
    auto next = next_to_call(c.waiting, now);
    if (c.order.empty()) EXPECT_FALSE(next);
    else EXPECT_EQ(next->id, c.order.front());
  }
}

TEST(QueueModel, RejoinPlacementTable) {
  Millis now = T0 + 60 * MIN;
  // The rejoining no-show (id 99) goes after the next 3 of its group, in call order.
  struct Case {
    const char* name;
    std::vector<QueueEntry> waiting;
    std::vector<std::int64_t> order_after;
  } cases[] = {
      {"after the third of five",
       {ord(1, T0), ord(2, T0 + MIN), ord(3, T0 + 2 * MIN), ord(4, T0 + 3 * MIN), ord(5, T0 + 4 * MIN)},
       {1, 2, 3, 99, 4, 5}},
      {"exactly three waiting: last", {ord(1, T0), ord(2, T0 + MIN), ord(3, T0 + 2 * MIN)}, {1, 2, 3, 99}},
      {"fewer than three: last", {ord(1, T0)}, {1, 99}},
      {"nobody waiting", {}, {99}},
      {"green and due appointment tickets count among the three",
       {ord(1, T0), ord(2, T0 + MIN), green(3, T0 + 5 * MIN), appt(4, T0 + 6 * MIN, T0)},
       {3, 4, 1, 99, 2}},
      {"three green ahead: before every ordinary ticket",
       {ord(1, T0), green(2, T0 + MIN), green(3, T0 + 2 * MIN), green(4, T0 + 3 * MIN)},
       {2, 3, 4, 99, 1}},
      {"tickets taken in the same millisecond",
       {ord(1, T0), ord(2, T0), ord(3, T0), ord(4, T0)},
       {1, 2, 3, 99, 4}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    QueueEntry me{99, false, true, std::nullopt, 0};
    me.sort_key = rejoin_sort_key(c.waiting, now, sort_key_for(now, 99));
    auto all = c.waiting;
    all.push_back(me);
    EXPECT_EQ(ids(call_order(all, now)), c.order_after);
    EXPECT_EQ(people_ahead(all, me, now), std::min<int>(3, static_cast<int>(c.waiting.size())));
  }
  // Two rejoins at the same moment: each goes right after the next three, so the later one is fourth.
  std::vector<QueueEntry> w{ord(1, T0), ord(2, T0 + MIN), ord(3, T0 + 2 * MIN), ord(4, T0 + 3 * MIN)};
  QueueEntry a{98, false, true, std::nullopt, rejoin_sort_key(w, now, 0)};
  w.push_back(a);
  QueueEntry b{99, false, true, std::nullopt, rejoin_sort_key(w, now, 0)};
  w.push_back(b);
  EXPECT_EQ(ids(call_order(w, now)), (std::vector<std::int64_t>{1, 2, 3, 99, 98, 4}));
}

TEST(QueueModel, PeopleAheadMatchesCallOrderOnRandomQueues) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    Millis now = T0 + 120 * MIN;
    std::vector<QueueEntry> w;
    int n = 1 + static_cast<int>(rng() % 30);
    for (int i = 1; i <= n; ++i) {
      QueueEntry e = ord(i, T0 + static_cast<Millis>(rng() % 200) * MIN / 2);
      e.green = rng() % 7 == 0;
      if (rng() % 5 == 0) e.slot_start = T0 + static_cast<Millis>(rng() % 8) * 30 * MIN;
      e.rejoined = rng() % 11 == 0;
      w.push_back(e);
    }
    auto order = call_order(w, now);
    for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(people_ahead(w, order[i], now), static_cast<int>(i));
  }
}

TEST(QueueModel, EstimatedWaitTable) {
  struct Row {
    int ahead;
    double mean;
    int windows;
    int minutes;
  } rows[] = {
      {0, 5, 1, 0},   {1, 5, 1, 5},    {3, 4, 2, 6},  {5, 3, 2, 8},  // 7.5 → 8 (rounded up)
      {10, 6, 3, 20}, {4, 5, 0, 20},   // no window open: as if one
      {2, 0, 1, 10},  // no mean: the default 5 minutes
      {1, 0.5, 4, 1}, {100, 5, 10, 50},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::to_string(r.ahead) + " × " + std::to_string(r.mean) + " ÷ " + std::to_string(r.windows));
    EXPECT_EQ(estimated_wait_minutes(r.ahead, r.mean, r.windows), r.minutes);
  }
  EXPECT_DOUBLE_EQ(mean_service_minutes({}), kDefaultServiceMinutes);
  EXPECT_DOUBLE_EQ(mean_service_minutes({4 * MIN, 6 * MIN}), 5.0);
  EXPECT_DOUBLE_EQ(mean_service_minutes({1000}), 0.5);           // clipped below
  EXPECT_DOUBLE_EQ(mean_service_minutes({600 * MIN, 0}), 30.25);  // 60 and 0.5
}

TEST(QueueModel, StatusMessages) {
  EXPECT_EQ(status_message(Status::waiting, 3, 15, std::nullopt).zh, "前面还有 3 人，预计等待 15 分钟");
  EXPECT_EQ(status_message(Status::called, 0, 0, 3).zh, "请到 3 号窗口办理");
  EXPECT_EQ(status_message(Status::called, 0, 0, 3).en, "Your number is called — go to window 3");
  for (Status s : {Status::waiting, Status::called, Status::serving, Status::done, Status::no_show, Status::cancelled}) {
    EXPECT_FALSE(status_message(s, 1, 5, 2).zh.empty());
    EXPECT_EQ(parse_status(to_string(s)), s);
  }
  EXPECT_FALSE(parse_status("Waiting"));
  EXPECT_EQ(parse_outcome("needs_materials"), Outcome::needs_materials);
  EXPECT_FALSE(parse_outcome("ok"));
}

}  // namespace
}  // namespace hall::queue
