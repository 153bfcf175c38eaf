// People ahead as a table (people_ahead.tsv), on every backend: for each ticket the store's
// indexed count, the model's rule and the live updates' one-pass count all equal the table's. A
// ticket counts only when a window that may call it may also call the ticket asked about
// (issue #11 item 11: the kiosk counted a ticket of the same group served at another window).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "catalog/store.hpp"
#include "queue/model.hpp"
#include "queue/store.hpp"
#include "queue/fixtures.hpp"

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
  std::map<std::string, std::vector<Row>> cases;
  for (const auto& r : read_tsv("tests/queue/people_ahead.tsv", 8)) {
    const auto& c = r.cells;
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
  int case_no = 0, seq = 0;  // seq runs over all cases: numbers are unique per hall and day
  for (const auto& [name, rows] : cases) {
    SCOPED_TRACE("case " + name);
    ++case_no;
    std::map<std::string, long long> ids;
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
             "item_version_id, student_id, channel, status, status_token, priority, green, "
             "sort_key, "
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
      auto item_windows = hall::catalog::store::current_windows_by_item(s);
      std::vector<q::QueueEntry> entries;
      std::vector<q::store::Ticket> tickets;
      for (const auto& r : rows) {
        auto t = q::store::find_ticket(s, ids[r.ticket], false);
        ASSERT_TRUE(t);
        q::QueueEntry e = t->entry();
        e.windows = t->target_window_id ? std::vector<std::int64_t>{*t->target_window_id}
                                        : item_windows[t->item_id];
        e.group = t->queue_group;
        entries.push_back(e);
        tickets.push_back(*t);
      }
      for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(q::store::people_ahead(s, tickets[i], now), rows[i].ahead)
            << "store, ticket " << rows[i].ticket;
        EXPECT_EQ(q::people_ahead(entries, entries[i], now), rows[i].ahead)
            << "model, ticket " << rows[i].ticket;
      }
      // The live updates' pass over the day in call order (store::hall_call_order).
      auto order = q::store::hall_call_order(s, 1, "2026-11-25", now, 1000);
      ASSERT_EQ(order.size(), rows.size());
      std::vector<q::QueueEntry> sorted;
      for (const auto& t : order)
        for (const auto& e : entries)
          if (e.id == t.id) sorted.push_back(e);
      auto ahead = q::people_ahead_in_order(sorted);
      for (std::size_t i = 0; i < sorted.size(); ++i)
        for (std::size_t j = 0; j < rows.size(); ++j)
          if (ids[rows[j].ticket] == sorted[i].id)
            EXPECT_EQ(ahead[i], rows[j].ahead) << "live updates, ticket " << rows[j].ticket;
    });
  }
  Clock::unpin();
}

INSTANTIATE_TEST_SUITE_P(Backends, QueuePeopleAhead, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
