// iCalendar import: the convention documented at parse_ics in model.hpp.
#include "fixtures.hpp"

namespace hall::calendar::testing {
namespace {

std::string sample() { return test::read_text("tests/calendar/holidays_2026.ics"); }

std::string crlf(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string wrap(const std::string& events, const std::string& header = "") {
  return "BEGIN:VCALENDAR\nVERSION:2.0\n" + header + events + "END:VCALENDAR\n";
}

// The sample (written in the styles of public Chinese holiday calendars) must
// describe 2026 exactly as the State Council data in data/holidays/2026.json.
TEST(CalendarIcs, SampleMatchesTheOfficial2026Schedule) {
  for (const std::string& text : {sample(), crlf(sample())}) {
    HolidayData data = parse_ics(text);
    EXPECT_EQ(data.years, std::set<int>{2026});
    HolidayCalendar from_ics(data);
    HolidayCalendar from_json(
        load_holiday_cn_json(test::read_text("data/holidays/2026.json")));
    HallCalendar a(from_ics, default_opening_hours()), b(from_json, default_opening_hours());
    int compared = 0;
    for (Date d = Date::parse("2026-01-01"); d <= Date::parse("2026-12-31"); d = d.add_days(1)) {
      SCOPED_TRACE(d.to_string());
      DayInfo x = a.classify(d), y = b.classify(d);
      EXPECT_EQ(x.is_working, y.is_working);
      EXPECT_EQ(x.reason, y.reason);
      EXPECT_EQ(x.name, y.name);
      ++compared;
    }
    EXPECT_EQ(compared, 365);
    EXPECT_EQ(from_ics.entries().size(), from_json.entries().size());
  }
}

TEST(CalendarIcs, ConventionsOfTheSample) {
  HolidayCalendar h(parse_ics(sample()));
  auto kind = [&](const char* date) {
    const HolidayEntry* e = h.find(Date::parse(date));
    if (!e) return std::string("none");
    return std::string(e->is_off_day ? "off:" : "work:") + e->name;
  };
  EXPECT_EQ(kind("2026-01-03"), "off:元旦");   // DTEND 01-04 is exclusive …
  EXPECT_EQ(kind("2026-01-04"), "work:元旦");  // … and 01-04 is "元旦调休" + Business Day
  EXPECT_EQ(kind("2026-02-14"), "work:春节");  // "春节补班", no DTEND: one day
  EXPECT_EQ(kind("2026-02-23"), "off:春节");   // with a nested VALARM
  EXPECT_EQ(kind("2026-02-24"), "none");
  EXPECT_EQ(kind("2026-02-28"), "work:春节");   // "春节（班）"
  EXPECT_EQ(kind("2026-04-06"), "off:清明节");  // "清明节 休息"
  EXPECT_EQ(kind("2026-05-05"), "off:劳动节");  // DURATION:P5D
  EXPECT_EQ(kind("2026-05-06"), "none");
  EXPECT_EQ(kind("2026-05-09"), "work:劳动节");  // "劳动节上班"
  EXPECT_EQ(kind("2026-06-21"), "off:端午节");   // a bare name is a day off
  EXPECT_EQ(kind("2026-09-20"), "work:国庆节");  // X-HALL-WORKDAY:TRUE
  EXPECT_EQ(kind("2026-09-27"), "off:中秋节");   // lower-case property names
  EXPECT_EQ(kind("2026-10-10"), "work:国庆节");  // CATEGORIES on two lines
  EXPECT_EQ(kind("2026-10-16"), "none");         // STATUS:CANCELLED
}

TEST(CalendarIcs, WorkdayFlagOverridesSummary) {
  auto data =
      parse_ics(wrap("BEGIN:VEVENT\nSUMMARY:值班安排\nDTSTART;VALUE=DATE:20260307\nX-HALL-WORKDAY:"
                     "FALSE\nEND:VEVENT\n"));
  ASSERT_EQ(data.days.size(), 1u);
  EXPECT_TRUE(data.days[0].is_off_day);
}

TEST(CalendarIcs, CoverageRules) {
  std::string events =
      "BEGIN:VEVENT\nSUMMARY:元旦放假\nDTSTART;VALUE=DATE:20251231\nDTEND;VALUE=DATE:20260102\n"
      "END:VEVENT\n";
  // December dates alone do not cover their year: 2025-12-31 belongs to 2026's 元旦.
  EXPECT_EQ(parse_ics(wrap(events)).years, std::set<int>{2026});
  EXPECT_EQ(parse_ics(wrap(events), {2026, 2027}).years, (std::set<int>{2026, 2027}));
  EXPECT_EQ(parse_ics(wrap(events, "X-HALL-COVERS:2025, 2026\n")).years,
            (std::set<int>{2025, 2026}));
  EXPECT_EQ(parse_ics(wrap(events)).days.size(), 2u);
}

TEST(CalendarIcs, LaterSourceWinsOnTheSameDate) {
  HolidayCalendar h(load_holiday_cn_json(test::read_text("data/holidays/2026.json")));
  h.merge(parse_ics(
      wrap("BEGIN:VEVENT\nSUMMARY:国庆节\nDTSTART;VALUE=DATE:20261010\nX-HALL-WORKDAY:FALSE\n"
           "END:VEVENT\n"),
      {2026}));
  ASSERT_NE(h.find(Date::parse("2026-10-10")), nullptr);
  EXPECT_TRUE(h.find(Date::parse("2026-10-10"))->is_off_day);
  EXPECT_FALSE(h.find(Date::parse("2026-02-14"))->is_off_day);  // the rest is kept
}

TEST(CalendarIcs, RejectsWhatItCannotReadFaithfully) {
  const char* cases[] = {
      "",
      "BEGIN:VEVENT\nEND:VEVENT\n",                                                  // no VCALENDAR
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:春节\nDTSTART;VALUE=DATE:20260215\n",  // truncated
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:春节\nEND:VEVENT\nEND:VCALENDAR\n",    // no DTSTART
      // "调休" alone: a day off or a working day? Calendars use it for both.
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:春节调休\nDTSTART;VALUE=DATE:20260214\n"
      "END:VEVENT\nEND:VCALENDAR\n",
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:春节\nDTSTART;VALUE=DATE:20260215\n"
      "RRULE:FREQ=YEARLY\nEND:VEVENT\nEND:VCALENDAR\n",
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:春节\nDTSTART:20260214T160000Z\n"
      "END:VEVENT\nEND:VCALENDAR\n",
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:春节\nDTSTART;VALUE=DATE:20260230\n"
      "END:VEVENT\nEND:VCALENDAR\n",
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:春节\nDTSTART;VALUE=DATE:2026-02-15\n"
      "END:VEVENT\nEND:VCALENDAR\n",
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:春节\nDTSTART;VALUE=DATE:20260215\n"
      "DTEND;VALUE=DATE:20260215\nEND:VEVENT\nEND:VCALENDAR\n",
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:春节\nDTSTART;VALUE=DATE:20260215\n"
      "DURATION:PT8H\nEND:VEVENT\nEND:VCALENDAR\n",
  };
  for (const char* c : cases) {
    SCOPED_TRACE(c);
    EXPECT_EQ(error_code_of([&] { parse_ics(c); }), "invalid_ics");
  }
  // The ambiguous case explains how to fix it.
  try {
    parse_ics(cases[4]);
  } catch (const ApiError& e) {
    EXPECT_NE(e.message().en.find("X-HALL-WORKDAY"), std::string::npos);
  }
}

TEST(CalendarIcs, FloatingDateTimeUsesItsLocalDate) {
  auto data =
      parse_ics(wrap("BEGIN:VEVENT\nSUMMARY:端午节\nDTSTART;TZID=Asia/Shanghai:20260619T000000\n"
                     "DTEND;TZID=Asia/Shanghai:20260622T000000\nEND:VEVENT\n"));
  ASSERT_EQ(data.days.size(), 3u);
  EXPECT_EQ(data.days.front().date.to_string(), "2026-06-19");
  EXPECT_EQ(data.days.back().date.to_string(), "2026-06-21");
}

}  // namespace
}  // namespace hall::calendar::testing
