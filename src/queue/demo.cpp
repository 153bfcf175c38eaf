#include "queue/demo.hpp"

#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "db/optional.hpp"
#include "queue/model.hpp"

namespace hall::queue {

namespace {

struct SlotSeed {
  const char* item_code;
  int minutes, capacity;
};
// Items students usually book ahead (预约): longer matters with papers to check.
const SlotSeed kSlots[] = {{"JWC-003", 30, 4}, {"JWC-009", 30, 2}, {"CWC-002", 30, 3},
                           {"XGB-002", 30, 4}, {"BWC-001", 30, 2}, {"ZSJY-002", 30, 3}};

struct HistorySeed {
  const char* item_code;
  int window_number;
  int per_day;
  int service_minutes;  // typical
};
const HistorySeed kHistory[] = {{"JWC-001", 2, 6, 3}, {"JWC-002", 2, 5, 4}, {"JWC-003", 1, 3, 8},
                                {"CWC-001", 3, 4, 5}, {"XGB-002", 4, 3, 10}, {"HQBZ-002", 7, 3, 6},
                                {"XSSW-001", 9, 4, 4}};

}  // namespace

void seed_demo(soci::session& s, std::int64_t hall_id, std::int64_t now) {
  long long hall = hall_id;
  for (const auto& sl : kSlots) {
    long long item = 0;
    std::string code = sl.item_code;
    s << "SELECT id FROM catalog_items WHERE code = :c", soci::use(code), soci::into(item);
    if (!s.got_data()) continue;
    s << "INSERT INTO queue_slot_config (item_id, slot_minutes, capacity, enabled, updated_at) VALUES (:i, :m, :c, 1, :t)",
        soci::use(item), soci::use(sl.minutes), soci::use(sl.capacity), soci::use(now);
  }
  std::vector<long long> students;
  {
    long long id = 0;
    soci::statement st = (s.prepare << "SELECT user_id FROM students ORDER BY user_id LIMIT 60", soci::into(id));
    st.execute();
    while (st.fetch()) students.push_back(id);
  }
  if (students.empty()) return;
  // The past five weekdays (Shanghai time), 09:00 onwards; demo history only.
  const Millis day_ms = 86400000;
  int made = 0, student_i = 0;
  for (int back = 1, days = 0; days < 5 && back < 15; ++back) {
    Millis day_start = ((now + 8 * 3600000LL) / day_ms - back) * day_ms - 8 * 3600000LL;  // local midnight
    int weekday = static_cast<int>(((day_start + 8 * 3600000LL) / day_ms + 3) % 7);      // 0 = Monday
    if (weekday >= 5) continue;
    ++days;
    std::string date = local_date(day_start + 12 * 3600000LL);
    std::map<std::string, long long> seqs;
    for (const auto& h : kHistory) {
      long long item = 0, version = 0, window = 0;
      std::string code = h.item_code, prefix;
      s << "SELECT i.id, v.id, v.queue_prefix FROM catalog_items i JOIN catalog_item_versions v ON v.id = "
           "i.current_version_id WHERE i.code = :c",
          soci::use(code), soci::into(item), soci::into(version), soci::into(prefix);
      if (!s.got_data()) continue;
      s << "SELECT id FROM windows WHERE hall_id = :h AND number = :n", soci::use(hall), soci::use(h.window_number),
          soci::into(window);
      if (!s.got_data()) continue;
      std::string group = queue_group(prefix);
      for (int k = 0; k < h.per_day; ++k) {
        long long seq = ++seqs[group];
        Millis taken = day_start + 9 * 3600000LL + (k * 37 + made * 7) % 150 * 60000LL;
        Millis called = taken + (3 + (made * 13) % 12) * 60000LL;
        Millis started = called + 60000;
        Millis finished = started + (h.service_minutes + (made % 5) - 2) * 60000LL;
        long long student = students[static_cast<std::size_t>(student_i++ % static_cast<int>(students.size()))];
        std::string number = format_number(group, seq), token = random_token();
        std::string outcome = made % 9 == 0 ? "needs_materials" : "done";
        long long key = sort_key_for(taken, seq);
        s << "INSERT INTO queue_tickets (hall_id, service_date, number, seq, queue_group, item_id, item_version_id, "
             "student_id, channel, status, status_token, sort_key, window_id, outcome, taken_at, called_at, started_at, "
             "finished_at, is_demo) VALUES (:h, :d, :n, :seq, :g, :i, :v, :s, 'kiosk', 'done', :tok, :k, :w, :o, :ta, "
             ":ca, :sa, :fa, 1)",
            soci::use(hall), soci::use(date), soci::use(number), soci::use(seq), soci::use(group), soci::use(item),
            soci::use(version), soci::use(student), soci::use(token), soci::use(key), soci::use(window),
            soci::use(outcome), soci::use(taken), soci::use(called), soci::use(started), soci::use(finished);
        ++made;
      }
    }
    for (auto& [group, last] : seqs)
      s << "INSERT INTO queue_sequences (hall_id, service_date, queue_group, last_seq) VALUES (:h, :d, :g, :l)",
          soci::use(hall), soci::use(date), soci::use(group), soci::use(last);
  }
}

}  // namespace hall::queue
