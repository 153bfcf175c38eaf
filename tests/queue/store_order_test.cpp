// The store's SQL mirrors the model's call order (queue/model.hpp): on random
// queues (green, appointments due and not yet due, rejoined no-shows, ties in
// the take time), people ahead counted in SQL equal the model's, and the ticket
// a window picks is the model's next — on every backend.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <random>

#include "queue/model.hpp"
#include "queue/store.hpp"
#include "fixtures.hpp"

namespace hall::test {
namespace {

using namespace hall::test::queue;
namespace q = hall::queue;

class QueueStoreOrder : public ::testing::TestWithParam<std::string> {};

TEST_P(QueueStoreOrder, SqlOrderMatchesTheModelOnRandomQueues) {
  Clock::pin(at(kWednesday10));
  TestHall h(GetParam());
  long long item = make_item(h, {.code = "T-ORDER", .prefix = "R", .windows = {2}});
  long long w2 = window_id(h, 2);
  Millis now = at(kWednesday10);
  std::mt19937 rng(42);
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::vector<q::QueueEntry> entries;
    h.app().db->write([&](soci::session& s) {
      s << "DELETE FROM queue_tickets WHERE item_id = :i", soci::use(item);
      long long version = 0, student = 0;
      s << "SELECT current_version_id FROM catalog_items WHERE id = :i", soci::use(item), soci::into(version);
      s << "SELECT user_id FROM students WHERE student_no = '2023001001'", soci::into(student);
      int n = 5 + static_cast<int>(rng() % 40);
      for (int i = 1; i <= n; ++i) {
        Millis taken = now - static_cast<Millis>(rng() % 20) * 60000;  // many ties
        bool green = rng() % 6 == 0, rejoined = rng() % 9 == 0;
        std::optional<long long> slot;
        if (rng() % 4 == 0) slot = now + (static_cast<long long>(rng() % 5) - 2) * 1800000;  // due or not yet
        long long key = q::sort_key_for(taken, i), seq = i;
        int prio = green && !rejoined ? 1 : 0, g = green ? 1 : 0, rj = rejoined ? 1 : 0;
        std::string number = fmt::format("R{:03d}", i), token = fmt::format("order-{}-{}-xxxxxxxxxxxxxxxxxxxxxxxx", round, i);
        long long id = 0;
        s << "INSERT INTO queue_tickets (hall_id, service_date, number, seq, queue_group, item_id, item_version_id, "
             "student_id, channel, status, status_token, priority, green, sort_key, slot_start, rejoined, taken_at) "
             "VALUES (1, '2026-11-25', :n, :seq, 'R', :i, :v, :s, 'kiosk', 'waiting', :tok, :p, :g, :k, :slot, :rj, :t) "
             "RETURNING id",
            soci::use(number), soci::use(seq), soci::use(item), soci::use(version), soci::use(student),
            soci::use(token), soci::use(prio), soci::use(g), soci::use(key), soci::use(slot), soci::use(rj),
            soci::use(taken), soci::into(id);
        entries.push_back({id, green, rejoined, slot, key});
      }
    });
    auto order = q::call_order(entries, now);
    h.app().db->read([&](soci::session& s) {
      for (const auto& e : entries) {
        auto t = q::store::find_ticket(s, e.id, false);
        ASSERT_TRUE(t);
        EXPECT_EQ(q::store::people_ahead(s, *t, now), q::people_ahead(entries, e, now)) << "ticket " << e.id;
      }
      EXPECT_EQ(q::store::pick_next(s, 1, "2026-11-25", w2, now, false), order.front().id);
      auto listed = q::store::window_queue(s, 1, "2026-11-25", w2, now, 100);
      ASSERT_EQ(listed.size(), order.size());
      for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(listed[i].id, order[i].id) << "position " << i;
    });
  }
  Clock::unpin();
}

INSTANTIATE_TEST_SUITE_P(Backends, QueueStoreOrder, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace hall::test
