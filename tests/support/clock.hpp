// The hall's clock in tests: instants written in the hall's local time, a clock
// pinned for a scope, and the fixture of API tests whose rules depend on the
// time (B6.3 time limits, opening hours, daily quotas, sessions that expire).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/clock.hpp"
#include "support/test_support.hpp"

namespace hall::test {

// "2026-03-02T09:00:00" in the hall's zone (Asia/Shanghai, +08:00) → UTC milliseconds.
inline Millis at(const std::string& local) { return parse_iso8601(local + "+08:00", "t"); }

// The moments suites start at, both with the hall open.
inline constexpr const char* kMondayMorning = "2026-03-02T09:00:00";  // a Monday in term
inline constexpr const char* kWednesday10 = "2026-11-25T10:00:00";    // a Wednesday morning

// Pins the process clock for its lifetime, then unpins it.
class PinnedClock {
 public:
  explicit PinnedClock(Millis t) { Clock::pin(t); }
  explicit PinnedClock(const std::string& local) : PinnedClock(at(local)) {}
  ~PinnedClock() { Clock::unpin(); }
  PinnedClock(const PinnedClock&) = delete;
  PinnedClock& operator=(const PinnedClock&) = delete;
};

// The demo's people, signed in: staff01–03, the responsible teacher, the students
// 2023001001 (alice) and 2023001002 (bob). Sessions last 12 hours: after moving a
// pinned clock past that, sign in again.
struct DemoPeople {
  Session staff, staff2, staff3, teacher, alice, bob;
  void sign_in(TestHall& h) {
    staff = h.login("staff01", "staff123");
    staff2 = h.login("staff02", "staff123");
    staff3 = h.login("staff03", "staff123");
    teacher = h.login("teacher", "teacher123");
    alice = h.login("2023001001", "student123");
    bob = h.login("2023001002", "student123");
  }
};

// An API test on each backend (GetParam()) with a hall started by the test:
// start() on the real clock, start_at(local) on a clock pinned there first.
// TearDown stops the hall before it unpins the clock, so no thread of the hall
// reads a clock that jumps back to now.
class HallTest : public testing::TestWithParam<std::string> {
 protected:
  void start(bool demo = true) {
    use_fast_password_hashing();
    hall_ = std::make_unique<TestHall>(GetParam(), demo);
  }
  void start_at(const std::string& local, bool demo = true) {
    Clock::pin(at(local));
    start(demo);
  }
  void TearDown() override {
    hall_.reset();
    Clock::unpin();
  }
  TestHall& h() { return *hall_; }

  std::unique_ptr<TestHall> hall_;
};

}  // namespace hall::test
