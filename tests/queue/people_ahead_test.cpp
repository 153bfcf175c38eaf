// People ahead as a table (people_ahead.tsv), on every backend: the store's count
// for each ticket equals the table's and the model's. A ticket counts only when a
// window that may call it may also call the ticket asked about (issue #11 item 11).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "queue/model.hpp"
#include "queue/store.hpp"
#include "queue_test_util.hpp"

namespace hall::test {
namespace {

using namespace hall::test::queue;
namespace q = hall::queue;

struct Row {
  std::string ticket, group, windows, target;
  bool green = false;
  int minutes = 0, ahead = 0;
};

std::map<std::string, std::vector<Row>> read_cases() {
  std::ifstream f(source_path("tests/queue/people_ahead.tsv"));
  EXPECT_TRUE(f);
  std::map<std::string, std::vector<Row>> cases;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> c;
    std::istringstream in(line);
    for (std::string cell; std::getline(in, cell, '\t');) c.push_back(cell);
    EXPECT_EQ(c.size(), 8u) << line;
    if (c.size() != 8) continue;
    cases[c[0]].push_back(
        Row{c[1], c[2], c[3], c[4], c[5] == "1", std::stoi(c[6]), std::stoi(c[7])});
  }
  return cases;
}

std::vector<int> numbers(const std::string& list) {
  std::vector<int> out;
  std::istringstream in(list);
  for (std::string n; std::getline(in, n, ',');) out.push_back(std::stoi(n));
  return out;
}

class QueuePeopleAhead : public ::testing::TestWithParam<std::string> {};

TEST_P(QueuePeopleAhead, CountsOnlyTicketsTheSameWindowsServe) {
  Clock::pin(at(kWednesday10));
  TestHall h(GetParam());
  Millis now = at(kWednesday10);
  auto cases = read_cases();
  ASSERT_GE(cases.size(), 5u);
  std::map<std::string, long long> items;  // "group|windows" → item
  int case_no = 0;
  int seq = 0;  // numbers are unique per day across the cases
  for (const auto& [name, rows] : cases) {
    SCOPED_TRACE("case " + name);
    ++case_no;
    std::map<std::string, long long> ids;
    std::vector<q::QueueEntry> entries;
    h.app().db->write([&](soci::session& s) {
      s << "UPDATE queue_tickets SET status = 'cancelled' WHERE service_date = '2026-11-25' AND "
           "status = 'waiting'";
    });
    for (const auto& r : rows) {
      std::string key = r.group + "|" + r.windows;
      if (!items.count(key))
        items[key] = make_item(h, {.code = fmt::format("T-AHEAD-{}", items.size()),
                                   .prefix = r.group,
                                   .windows = numbers(r.windows)});
      long long item = items[key];
      std::optional<long long> target;
      if (r.target != "-") target = window_id(h, std::stoi(r.target));
      h.app().db->write([&](soci::session& s) {
        long long version = 0, student = 0, id = 0, sq = ++seq;
        s << "SELECT current_version_id FROM catalog_items WHERE id = :i", soci::use(item),
            soci::into(version);
        s << "SELECT user_id FROM students WHERE student_no = '2023001001'", soci::into(student);
        Millis taken = now - static_cast<Millis>(r.minutes) * 60000;
        long long sort_key = q::sort_key_for(taken, sq), taken_at = taken;
        int green = r.green ? 1 : 0;
        std::string number = fmt::format("{}{:03d}", r.group, sq),
                    token = fmt::format("ahead-{}-{}-xxxxxxxxxxxxxxxxxxxxxxxx", case_no, sq);
        s << "INSERT INTO queue_tickets (hall_id, service_date, number, seq, queue_group, item_id, "
             "item_version_id, "
             "student_id, channel, status, status_token, priority, green, sort_key, "
             "target_window_id, taken_at) "
             "VALUES (1, '2026-11-25', :n, :seq, :g, :i, :v, :s, 'kiosk', 'waiting', :tok, :p, "
             ":gr, :k, :tw, :t) "
             "RETURNING id",
            soci::use(number), soci::use(sq), soci::use(r.group), soci::use(item),
            soci::use(version), soci::use(student), soci::use(token), soci::use(green),
            soci::use(green), soci::use(sort_key), soci::use(target), soci::use(taken_at),
            soci::into(id);
        ids[r.ticket] = id;
      });
    }
    h.app().db->read([&](soci::session& s) {
      auto windows = q::store::waiting_windows(s, 1, "2026-11-25", std::nullopt);
      for (const auto& r : rows) {
        auto t = q::store::find_ticket(s, ids[r.ticket], false);
        ASSERT_TRUE(t);
        q::QueueEntry me = t->entry();
        me.windows = windows[t->id];
        entries.push_back(me);
      }
      for (std::size_t i = 0; i < rows.size(); ++i) {
        auto t = q::store::find_ticket(s, ids[rows[i].ticket], false);
        EXPECT_EQ(q::store::people_ahead(s, *t, now), rows[i].ahead)
            << "store, ticket " << rows[i].ticket;
        EXPECT_EQ(q::people_ahead(entries, entries[i], now), rows[i].ahead)
            << "model, ticket " << rows[i].ticket;
      }
    });
  }
  Clock::unpin();
}

INSTANTIATE_TEST_SUITE_P(Backends, QueuePeopleAhead, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
