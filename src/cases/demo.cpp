#include "cases/demo.hpp"

#include <algorithm>

#include "cases/model.hpp"
#include "cases/store.hpp"
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
    s << "SELECT i.id, v.id, v.time_limit_days, v.name FROM catalog_items i JOIN "
         "catalog_item_versions v ON v.id = "
         "i.current_version_id WHERE i.code = :c",
        soci::use(code), soci::into(item), soci::into(version), soci::into(days),
        soci::into(item_name);
    if (!s.got_data()) continue;
    s << "SELECT id, name FROM users WHERE login = :l", soci::use(login), soci::into(handler),
        soci::into(handler_name);
    if (!s.got_data()) continue;
    long long accepted = millis(working_day_at(cal, now, c.accepted_back, 10 * 3600));
    if (accepted >= now) continue;  // never in the future
    std::optional<long long> student, ticket;
    std::string channel = c.channel, summary = c.summary;
    if (channel == "ticket") {
      // Opened from the latest demo ticket of the item finished before the acceptance.
      long long t = 0, st = 0;
      s << "SELECT t.id, t.student_id FROM queue_tickets t JOIN students st ON st.user_id = "
           "t.student_id WHERE "
           "t.is_demo = 1 AND t.status = 'done' AND t.item_id = :i AND t.finished_at < :a AND "
           "st.student_no > "
           "'2023001010' ORDER BY t.finished_at DESC LIMIT 1",
          soci::use(item), soci::use(accepted), soci::into(t), soci::into(st);
      if (!s.got_data()) continue;
      ticket = t;
      student = st;
      summary = item_name;
    } else {
      long long st = 0;
      std::string no = c.student_no;
      s << "SELECT user_id FROM students WHERE student_no = :n", soci::use(no), soci::into(st);
      if (!s.got_data()) continue;
      student = st;
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
    long long id = 0;
    store::query(
        s,
        "INSERT INTO cases (case_no, hall_id, channel, ticket_id, student_id, summary, item_id, "
        "item_version_id, status, first_responder_id, handler_id, time_limit_days, accepted_at, "
        "due_at, "
        "original_due_at, completed_at, result_note, created_by, created_at, updated_at, is_demo) "
        "VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
        {tmp,       hall,   channel,  ticket,   student,
         summary,   item,   version,  status,   handler,
         handler,   days,   accepted, due,      due,
         completed, result, handler,  received, completed.value_or(accepted)},
        [&](const soci::row& r) { id = store::col_i64(r, 0); });
    store::execute(s, "UPDATE cases SET case_no = ? WHERE id = ?",
                   {case_number(local_date(received, off), id), id});
    // B6.2: every material of the item version checked and provided before acceptance.
    store::copy_materials(s, id, version);
    store::execute(s,
                   "UPDATE case_materials SET mark = 'provided', marked_by = ?, marked_at = ? "
                   "WHERE case_id = ?",
                   {handler, received + 5 * 60000, id});
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
