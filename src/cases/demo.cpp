#include "cases/demo.hpp"

#include <algorithm>

#include "auth/store.hpp"
#include "cases/model.hpp"
#include "cases/store.hpp"
#include "catalog/store.hpp"
#include "core/clock.hpp"

namespace hall::cases {

namespace {

struct CaseSeed {
  const char* item_code;
  const char* student_no;
  const char* handler;  // login of the staff member who receives, accepts and completes it
  const char* channel;  // walk_in / phone / online (ticket: opened from a demo ticket of the item)
  int accepted_back;    // working days before today it was accepted (at 10:00 local)
  int done_minutes;     // completed this long after acceptance; < 0: still processing
  const char* summary;
  const char* result;
};
// clang-format off
const CaseSeed kCases[] = {
    {"JWC-003", "2023001011", "staff01", "walk_in", 6, 90, "补办学生证", "新学生证已制好，已当面交给学生。"},
    {"CWC-001", "", "staff03", "ticket", 4, 40, "", "缴费凭证已开具，学生已领取。"},
    {"XGB-002", "2023001012", "staff04", "walk_in", 3, 240, "申请临时困难补助", "补助已审核通过，将于三个工作日内发放。"},
    {"HQBZ-002", "2023001013", "staff07", "online", 3, 300, "宿舍调换申请", "已安排调换至 7 栋 305，请按通知时间搬迁。"},
    {"JWC-001", "2023001014", "staff02", "walk_in", 1, 30, "开具在读证明", "在读证明已开具，请到 2 号窗口领取。"},
};
// clang-format on

}  // namespace

calendar::Instant working_day_at(const calendar::HallCalendar& cal, std::int64_t now, int back,
                                 int seconds_of_day) {
  calendar::Date d = cal.local_date(calendar::Instant(std::chrono::seconds(now / 1000)));
  for (int found = 0; found < back;) {
    d = d.add_days(-1);
    if (cal.is_working_day(d)) ++found;
  }
  return cal.at(d, seconds_of_day);
}

std::vector<std::int64_t> seed_demo(soci::session& s, std::int64_t hall_id,
                                    const calendar::HallCalendar& cal, std::int64_t now, int off) {
  std::vector<std::pair<long long, long long>> done;  // completed_at, id
  long long hall = hall_id;
  for (const auto& c : kCases) {
    long long item = 0, version = 0, days = 0, handler = 0;
    std::string code = c.item_code, login = c.handler, item_name, handler_name;
    auto it = catalog::store::find_item_by_code(s, code);
    if (!it || !it->current_version_id) continue;
    auto v = catalog::store::find_version(s, it->current_version_id);
    if (!v) continue;
    item = it->id;
    version = v->id;
    days = v->content.time_limit_days;
    item_name = v->content.name;
    auto user_id = auth::store::find_user_id_by_login(s, login);
    if (!user_id) continue;
    handler = *user_id;
    handler_name = store::user_name(s, handler);
    long long accepted = millis(working_day_at(cal, now, c.accepted_back, 10 * 3600));
    if (accepted >= now) continue;  // never in the future
    std::optional<long long> student, ticket;
    std::string channel = c.channel, summary = c.summary;
    if (channel == "ticket") {
      // Opened from the latest demo ticket of the item finished before the acceptance.
      auto t = store::demo_ticket(s, item, accepted);
      if (!t) continue;
      ticket = t->first;
      student = t->second;
      summary = item_name;
    } else {
      auto st = store::student_by_no(s, c.student_no);
      if (!st) continue;
      student = *st;
    }
    long long received = accepted - 15 * 60000;
    std::optional<long long> completed;
    if (c.done_minutes >= 0) completed = accepted + c.done_minutes * 60000LL;
    if (completed && *completed >= now) continue;
    // B6.3: due from the item's promise on the working-day calendar, as acceptance does.
    long long due = millis(due_on_acceptance(
        cal, calendar::Instant(std::chrono::seconds(accepted / 1000)), static_cast<int>(days)));
    std::string status = completed ? "completed" : "processing";
    std::string result = completed ? c.result : "";
    std::string tmp = "demo-" + std::to_string(received) + "-" + code;
    store::DemoCase row;
    row.case_no = tmp;
    row.hall_id = hall;
    row.channel = channel;
    row.ticket_id = ticket;
    row.student_id = student;
    row.summary = summary;
    row.item_id = item;
    row.version_id = version;
    row.status = status;
    row.handler_id = handler;
    row.days = days;
    row.accepted_at = accepted;
    row.due_at = due;
    row.completed_at = completed;
    row.result_note = result;
    row.created_at = received;
    long long id = store::insert_demo_case(s, row);
    store::set_case_no(s, id, case_number(local_date(received, off), id));
    // B6.2: every material of the item version checked and provided before acceptance.
    store::copy_materials(s, id, version);
    store::mark_all_provided(s, id, handler, received + 5 * 60000);
    store::add_event(s, id, received, "opened", handler, handler_name,
                     json::object{{"channel", channel}, {"first_responder", handler_name}}, true);
    store::add_event(s, id, accepted, "accepted", handler, handler_name,
                     json::object{{"due_at", iso8601_utc(due)}, {"time_limit_days", days}}, true);
    if (completed) {
      store::add_event(s, id, *completed, "completed", handler, handler_name,
                       json::object{{"result_note", result}, {"late", *completed > due}}, true);
      done.emplace_back(*completed, id);
    }
  }
  std::sort(done.begin(), done.end());
  std::vector<std::int64_t> out;
  for (auto& [at, id] : done) out.push_back(id);
  return out;
}

}  // namespace hall::cases
