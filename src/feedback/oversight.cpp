// Oversight of complaints and suggestions (C3): statistics and counts per staff member.
#include "feedback/items.hpp"

namespace hall::feedback {

using namespace detail;

json::object FeedbackService::stats(const auth::Caller& c, std::optional<long long> from,
                                    std::optional<long long> to) {
  if (!auth::has_permission(c.principal, "feedback.oversee")) throw forbidden();
  return deps_.db->read([&](soci::session& s) {
    long long lo = from.value_or(0), hi = to.value_or(INT64_MAX / 2);
    auto group = [&](const std::string& expr, const std::string& join) {
      json::array out;
      db::Values b{lo, hi};
      db::query_rows(
          s,
          "SELECT " + expr + ", COUNT(*) FROM feedback_items f " + join +
              " WHERE f.created_at >= :lo AND f.created_at < :hi GROUP BY " + expr +
              " ORDER BY 2 DESC",
          b, [&](const soci::row& r) {
            out.push_back(json::object{{"key", col_str(r, 0)}, {"count", col_i64(r, 1)}});
          });
      return out;
    };
    long long total = 0, answered = 0, disputed = 0, upheld = 0, complaints = 0, overdue = 0;
    double hours_sum = 0;
    db::Values b{lo, hi};
    long long now = Clock::now();
    db::query_rows(
        s,
        "SELECT kind, status, created_at, answered_at, disputed, upheld, ack_due_at, "
        "feedback_due_at "
        "FROM feedback_items WHERE created_at >= :lo AND created_at < :hi",
        b, [&](const soci::row& r) {
          ++total;
          if (col_str(r, 0) == "complaint") ++complaints;
          auto ans = col_opt_i64(r, 3);
          if (ans) {
            ++answered;
            hours_sum += static_cast<double>(*ans - col_i64(r, 2)) / 3600000.0;
          }
          if (col_i64(r, 4)) ++disputed;
          if (col_opt_i64(r, 5).value_or(0) == 1) ++upheld;
          if (deadline_state(col_str(r, 1), now, col_i64(r, 6), col_i64(r, 7)) == "overdue")
            ++overdue;
        });
    return json::object{
        {"total", total},
        {"complaints", complaints},
        {"upheld", upheld},
        {"overdue", overdue},
        {"answered", answered},
        {"avg_hours_to_feedback", answered ? hours_sum / static_cast<double>(answered) : 0.0},
        // Dispute rate: answered items the student disputed, over answered items.
        {"dispute_rate",
         answered ? static_cast<double>(disputed) / static_cast<double>(answered) : 0.0},
        {"by_category", group("f.category", "")},
        {"by_channel", group("f.channel", "")},
        {"by_kind", group("f.kind", "")},
        {"by_status", group("f.status", "")},
        {"by_unit", group("COALESCE(u.name, '')", "LEFT JOIN units u ON u.id = f.target_unit_id")}};
  });
}

json::array FeedbackService::staff_counts(const auth::Caller& c) {
  if (!auth::has_permission(c.principal, "feedback.oversee")) throw forbidden();
  return deps_.db->read([&](soci::session& s) {
    json::array out;
    db::Values b;
    // Upheld complaints against a staff member feed that member's assessment (C3, D4).
    db::query_rows(s,
                   "SELECT f.target_staff_id, u.name, COUNT(*), SUM(CASE WHEN f.upheld = 1 THEN 1 "
                   "ELSE 0 END) FROM "
                   "feedback_items f JOIN users u ON u.id = f.target_staff_id WHERE f.kind = "
                   "'complaint' GROUP BY "
                   "f.target_staff_id, u.name ORDER BY 4 DESC, 1",
                   b, [&](const soci::row& r) {
                     out.push_back(json::object{{"staff_id", col_i64(r, 0)},
                                                {"name", col_str(r, 1)},
                                                {"complaints", col_i64(r, 2)},
                                                {"upheld_complaints", col_i64(r, 3)}});
                   });
    return out;
  });
}

}  // namespace hall::feedback
