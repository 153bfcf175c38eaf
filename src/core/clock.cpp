#include "core/clock.hpp"

#include <chrono>
#include <cstdio>

#include "core/error.hpp"
#include "core/errors.hpp"

namespace hall {

std::atomic<Millis> Clock::pinned_{0};

Millis Clock::now() {
  Millis p = pinned_.load(std::memory_order_relaxed);
  if (p != 0) return p;
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}
void Clock::pin(Millis at) { pinned_.store(at); }
void Clock::unpin() { pinned_.store(0); }

std::string iso8601_utc(Millis at) {
  using namespace std::chrono;
  sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(at)));
  year_month_day ymd(day);
  Millis rest = at - duration_cast<milliseconds>(day.time_since_epoch()).count();
  int h = static_cast<int>(rest / 3600000), m = static_cast<int>(rest / 60000 % 60),
      s = static_cast<int>(rest / 1000 % 60), ms = static_cast<int>(rest % 1000);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), h, m, s, ms);
  return buf;
}

std::string local_date(Millis at, int utc_offset_minutes) {
  using namespace std::chrono;
  sys_days day =
      floor<days>(sys_time<milliseconds>(milliseconds(at + Millis(utc_offset_minutes) * 60000)));
  year_month_day ymd(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

Millis parse_iso8601(const std::string& text, const std::string& field) {
  int Y, M, D, h, m, s;
  char rest[32] = {0};
  auto invalid = [&] {
    return errors::invalid_time(field);
  };
  if (text.size() > 40 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%31s", &Y, &M, &D, &h, &m, &s, rest) < 6)
    throw invalid();
  using namespace std::chrono;
  year_month_day ymd{year(Y), month(unsigned(M)), day(unsigned(D))};
  if (!ymd.ok() || h > 23 || m > 59 || s > 60) throw invalid();
  std::string tail = rest;
  int ms = 0;
  if (!tail.empty() && tail[0] == '.') {
    size_t i = 1;
    int digits = 0;
    while (i < tail.size() && isdigit(static_cast<unsigned char>(tail[i]))) {
      if (digits < 3) ms = ms * 10 + (tail[i] - '0'), ++digits;
      ++i;
    }
    while (digits < 3) ms *= 10, ++digits;
    tail = tail.substr(i);
  }
  int offset_min = 0;
  if (tail == "Z" || tail == "z") {
    offset_min = 0;
  } else if (tail.size() == 6 && (tail[0] == '+' || tail[0] == '-') && tail[3] == ':') {
    int oh = std::atoi(tail.substr(1, 2).c_str()), om = std::atoi(tail.substr(4, 2).c_str());
    offset_min = (oh * 60 + om) * (tail[0] == '-' ? -1 : 1);
  } else {
    throw invalid();
  }
  Millis day_ms = duration_cast<milliseconds>(sys_days(ymd).time_since_epoch()).count();
  return day_ms + ((h * 60 + m) * 60 + s) * 1000LL + ms - offset_min * 60000LL;
}

}  // namespace hall
