// Pure rules of cases, as tables: due instants with pauses across holidays
// (B6.3), warnings, notice completeness and breach detection (B6.2), referral
// validation (B6.1), the state machine.
#include <gtest/gtest.h>

#include "calendar/defaults.hpp"
#include "cases/model.hpp"
#include "core/clock.hpp"
#include "support/test_support.hpp"

namespace hall::cases {
namespace {

const calendar::HallCalendar& cal() {
  static const calendar::HallCalendar c(calendar::load_holiday_dir(test::source_path("data/holidays")),
                                        calendar::default_opening_hours());
  return c;
}

Instant local(const std::string& t) {
  std::string s = t;
  s[10] = 'T';
  return Instant{std::chrono::seconds(parse_iso8601(s + ":00+08:00", "t") / 1000)};
}
std::string show(Instant t) {
  Millis ms = static_cast<Millis>(t.time_since_epoch().count()) * 1000 + 8LL * 3600 * 1000;
  std::string iso = iso8601_utc(ms);  // shifted to local wall time
  return iso.substr(0, 10) + " " + iso.substr(11, 5);
}

std::vector<std::pair<Instant, Instant>> pauses(const std::string& cell) {
  std::vector<std::pair<Instant, Instant>> out;
  if (cell == "-") return out;
  for (const auto& part : test::split(cell, ';')) {
    auto tilde = part.find('~');
    out.emplace_back(local(part.substr(0, tilde)), local(part.substr(tilde + 1)));
  }
  return out;
}

TEST(CasesDueDates, TableWithPausesAcrossHolidays) {
  for (const auto& r : test::read_tsv("tests/cases/due_dates.tsv", 4)) {
    SCOPED_TRACE("due_dates.tsv:" + std::to_string(r.line) + " " + (r.cells.size() > 4 ? r.cells[4] : ""));
    const std::string& expected = r.cells[3];
    auto run = [&] {
      Instant due = due_on_acceptance(cal(), local(r.cells[0]), std::stoi(r.cells[1]));
      std::int64_t total = 0;
      for (auto [from, to] : pauses(r.cells[2])) {
        std::int64_t p = 0;
        Instant before = due;
        due = resume_due(cal(), due, from, to, &p);
        // The due instant moves by exactly the paused working time.
        EXPECT_EQ(cal().working_seconds_between(before, due), p);
        EXPECT_EQ(cal().working_seconds_between(from, to), p);
        total += p;
      }
      return due;
    };
    if (expected[0] == '!') {
      try {
        run();
        ADD_FAILURE() << "expected " << expected;
      } catch (const ApiError& e) {
        EXPECT_EQ(e.code(), expected.substr(1));
      }
    } else {
      EXPECT_EQ(show(run()), expected);
    }
  }
}

TEST(CasesDueDates, WarningsTable) {
  Instant accepted = local("2026-03-02 08:00"), due = local("2026-03-02 17:30");
  for (const auto& r : test::read_tsv("tests/cases/warnings.tsv", 5)) {
    SCOPED_TRACE("warnings.tsv:" + std::to_string(r.line));
    std::optional<Instant> paused, finished;
    if (r.cells[1] != "-") paused = local(r.cells[1]);
    if (r.cells[2] != "-") finished = local(r.cells[2]);
    Progress p = progress(cal(), accepted, due, 0, paused, finished, local(r.cells[0]));
    EXPECT_EQ(to_string(p.warning), r.cells[3]);
    EXPECT_EQ(p.overdue, r.cells[4] == "1");
    EXPECT_EQ(p.allowed_seconds, 7 * 3600);
    EXPECT_EQ(p.paused, paused.has_value() && !finished);
  }
}

TEST(CasesDueDates, WarningThresholds) {
  struct {
    double f;
    const char* w;
  } rows[] = {{0, "none"}, {0.49, "none"}, {0.5, "50"}, {0.79, "50"}, {0.8, "80"}, {0.999, "80"}, {1.0, "due"}, {3, "due"}};
  for (auto r : rows) EXPECT_EQ(to_string(warning_for(r.f)), r.w) << r.f;
}

TEST(CasesDueDates, PausedTimeIsDiscountedFromUse) {
  // Accepted Monday 08:00, due 17:30; paused 09:00–11:00 (2 h): due moves to Tuesday 10:00.
  Instant accepted = local("2026-03-02 08:00");
  std::int64_t p = 0;
  Instant due = resume_due(cal(), local("2026-03-02 17:30"), local("2026-03-02 09:00"), local("2026-03-02 11:00"), &p);
  EXPECT_EQ(p, 7200);
  EXPECT_EQ(show(due), "2026-03-03 10:00");
  Progress pr = progress(cal(), accepted, due, p, std::nullopt, std::nullopt, local("2026-03-02 12:00"));
  EXPECT_EQ(pr.allowed_seconds, 7 * 3600);
  EXPECT_EQ(pr.used_seconds, 2 * 3600);  // 4 h open minus 2 h paused
  EXPECT_EQ(to_string(pr.warning), "none");
}

// ---------------------------------------------------------------------------
// B6.2

MaterialMark mm(long long id, const char* name, std::optional<Mark> mark, bool required = true, std::string corr = "") {
  MaterialMark m;
  m.material_id = id;
  m.name = name;
  m.mark = mark;
  m.required = required;
  m.correction = corr;
  return m;
}

TEST(CasesNotice, EveryMaterialMustBeMarked) {
  std::vector<MaterialMark> marks{mm(1, "学生证", Mark::provided), mm(2, "身份证复印件", std::nullopt),
                                  mm(3, "委托书", std::nullopt, false)};
  EXPECT_EQ(unmarked(marks), (std::vector<std::string>{"身份证复印件", "委托书"}));
  try {
    require_all_marked(marks);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 422);
    EXPECT_EQ(e.code(), "materials_unmarked");
    EXPECT_EQ(e.field(), "materials");
    EXPECT_NE(e.message().zh.find("身份证复印件、委托书"), std::string::npos);
    EXPECT_NE(e.message().en.find("身份证复印件, 委托书"), std::string::npos);
  }
  marks[1].mark = Mark::missing;
  marks[2].mark = Mark::not_applicable;
  EXPECT_NO_THROW(require_all_marked(marks));
  try {
    require_complete(marks);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "materials_incomplete");
    EXPECT_NE(e.message().zh.find("身份证复印件"), std::string::npos);
  }
  marks[1].mark = Mark::provided;
  EXPECT_NO_THROW(require_complete(marks));
}

TEST(CasesNotice, MarkRules) {
  struct {
    MaterialMark m;
    const char* code;  // "" = accepted
    const char* field;
  } rows[] = {
      {mm(1, "照片", Mark::defective, true, ""), "correction_required", "marks[0].correction"},
      {mm(1, "照片", Mark::defective, true, "  "), "correction_required", "marks[0].correction"},
      {mm(1, "照片", Mark::defective, true, "请换成蓝底证件照"), "", ""},
      {mm(1, "照片", Mark::not_applicable, true), "material_required", "marks[0].mark"},
      {mm(1, "委托书", Mark::not_applicable, false), "", ""},
      {mm(1, "照片", Mark::missing), "", ""},
  };
  for (auto& r : rows) {
    if (!*r.code) {
      EXPECT_NO_THROW(check_mark(r.m, "marks[0]"));
      continue;
    }
    try {
      check_mark(r.m, "marks[0]");
      ADD_FAILURE() << r.code;
    } catch (const ApiError& e) {
      EXPECT_EQ(e.code(), r.code);
      EXPECT_EQ(e.field(), r.field);
    }
  }
}

NoticeMaterial nm(long long id, Mark m) { return NoticeMaterial{id, "M" + std::to_string(id), m, ""}; }

TEST(CasesNotice, BreachDetectionTable) {
  using M = Mark;
  struct Case {
    const char* what;
    std::vector<NoticeMaterial> prev, next;
    std::set<std::int64_t> changed;
    std::vector<std::string> expected;  // "id:reason"
  } rows[] = {
      {"same asks again: no breach", {nm(1, M::provided), nm(2, M::missing)}, {nm(1, M::provided), nm(2, M::missing)}, {}, {}},
      {"asks for one marked provided", {nm(1, M::provided), nm(2, M::missing)}, {nm(1, M::defective), nm(2, M::provided)}, {2}, {"1:was_provided"}},
      {"asks for one not applicable before", {nm(1, M::provided), nm(3, M::not_applicable)}, {nm(1, M::provided), nm(3, M::missing)}, {}, {"3:not_asked_before"}},
      {"asks for one absent before", {nm(1, M::provided)}, {nm(1, M::provided), nm(4, M::missing)}, {}, {"4:not_asked_before"}},
      {"the student changed it: no breach", {nm(1, M::provided)}, {nm(1, M::defective)}, {1}, {}},
      {"defective again after resubmission: no breach", {nm(2, M::defective)}, {nm(2, M::defective)}, {2}, {}},
      {"missing becomes defective: asked before", {nm(2, M::missing)}, {nm(2, M::defective)}, {}, {}},
      {"everything fine now", {nm(1, M::provided), nm(2, M::missing)}, {nm(1, M::provided), nm(2, M::provided)}, {2}, {}},
      {"two breaches", {nm(1, M::provided), nm(2, M::provided), nm(3, M::missing)}, {nm(1, M::missing), nm(2, M::defective), nm(3, M::missing)}, {}, {"1:was_provided", "2:was_provided"}},
      {"another material changed, this one not", {nm(1, M::provided), nm(2, M::missing)}, {nm(1, M::missing), nm(2, M::provided)}, {2}, {"1:was_provided"}},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.what);
    std::vector<std::string> got;
    for (const auto& f : detect_breach(r.prev, r.next, r.changed))
      got.push_back(std::to_string(f.material_id) + ":" + f.reason);
    EXPECT_EQ(got, r.expected);
  }
  auto d = describe({{1, "学生证", "was_provided"}, {3, "委托书", "not_asked_before"}}, false);
  EXPECT_EQ(d, "“学生证”前次已标记为已提交；“委托书”前次未要求");
}

// ---------------------------------------------------------------------------
// B6.1

TEST(CasesReferral, OfficeAndHandlerMustBeNamed) {
  struct {
    Referral r;
    const char* code;
    const char* field;
  } rows[] = {
      {{"教务处学籍科", "王磊", "0731-22180112", "行政楼 305", ""}, "", ""},
      {{"", "王磊", "", "", ""}, "referral_field_required", "office"},
      {{"教务处", "", "", "", ""}, "referral_field_required", "handler"},
      {{"教务处", "  ", "", "", ""}, "referral_field_required", "handler"},
      {{"教务处", "不知道", "", "", ""}, "referral_not_specific", "handler"},
      {{"教务处", "不 清 楚！", "", "", ""}, "referral_not_specific", "handler"},
      {{"不知道", "王磊", "", "", ""}, "referral_not_specific", "office"},
      {{"Academic Affairs", "I don't know", "", "", ""}, "referral_not_specific", "handler"},
      {{"Academic Affairs", "unknown", "", "", ""}, "referral_not_specific", "handler"},
      {{"教务处", "？？", "", "", ""}, "referral_not_specific", "handler"},
      {{"教务处", "王老师", "", "", ""}, "", ""},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.r.office + "/" + r.r.handler);
    if (!*r.code) {
      EXPECT_NO_THROW(check_referral(r.r));
      continue;
    }
    try {
      check_referral(r.r);
      ADD_FAILURE() << r.code;
    } catch (const ApiError& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_EQ(e.code(), r.code);
      EXPECT_EQ(e.field(), r.field);
    }
  }
}

// ---------------------------------------------------------------------------

TEST(CasesStates, TransitionTable) {
  using S = Status;
  using A = Action;
  struct {
    A a;
    std::vector<S> ok;
  } rows[] = {
      {A::edit, {S::received, S::waiting_materials}},
      {A::mark, {S::received, S::waiting_materials, S::processing}},
      {A::notice, {S::received, S::waiting_materials, S::processing}},
      {A::accept, {S::received}},
      {A::complete, {S::processing}},
      {A::refer, {S::received, S::waiting_materials}},
      {A::resubmit, {S::waiting_materials}},
      {A::assign, {S::received, S::waiting_materials, S::processing}},
      {A::green, {S::received, S::waiting_materials, S::processing}},
      {A::unreachable, {S::referred}},
  };
  for (const auto& r : rows)
    for (S s : {S::received, S::waiting_materials, S::processing, S::referred, S::completed, S::refused}) {
      bool want = std::find(r.ok.begin(), r.ok.end(), s) != r.ok.end();
      EXPECT_EQ(allowed(r.a, s), want) << to_string(r.a) << " from " << to_string(s);
      if (!want) {
        try {
          check_action(r.a, s);
          ADD_FAILURE();
        } catch (const ApiError& e) {
          EXPECT_EQ(e.status(), 409);
          EXPECT_EQ(e.code(), "invalid_case_state");
        }
      }
    }
}

TEST(CasesNumbers, Format) {
  EXPECT_EQ(case_number("2026-11-25", 12), "BJ20261125-000012");
  EXPECT_EQ(notice_number("BJ20261125-000012", 2), "GZ20261125-000012-2");
}

}  // namespace
}  // namespace hall::cases
