// Complaints, suggestions and praise (C1–C3) and the WeChat channel: use cases
// with their permission checks, one transaction each, audit inside it.
#pragma once

#include "feedback/module.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "auth/rate_limit.hpp"
#include "core/json.hpp"
#include "db/database.hpp"

namespace hall::feedback {

struct ListFilter {
  std::string status, kind, category, channel, deadline;  // deadline: overdue / due_soon
  bool mine = false;                                       // assigned to the caller
  int page = 1, page_size = 20;
};

// POST /feedback/{id}/answer: what the handler found and did (C3); upheld is
// required for complaints.
struct AnswerInput {
  std::string findings, handling;
  std::optional<bool> upheld;
};

class FeedbackService {
 public:
  explicit FeedbackService(Deps& deps);

  // --- submitting (C2) -----------------------------------------------------
  // Web portal (anyone; a signed-in student is linked) → {id, tracking_no, status}.
  json::object submit_web(const auth::Caller& c, const json::value& body);
  // Staff at window 10 or on the complaints phone line enter it for the student.
  json::object submit_staff(const auth::Caller& c, const json::value& body);

  // --- the student ----------------------------------------------------------
  // Without login, by tracking number and phone: 404 alike for unknown and wrong;
  // 429 too_many_attempts (auth::TooManyAttempts) past the limits per phone / per address.
  json::object track(const std::string& tracking_no, const std::string& phone,
                     const std::string& address);
  json::object track_act(const auth::Caller& c, const json::value& body, bool accept);
  json::array my_items(const auth::Caller& c);
  json::object my_act(const auth::Caller& c, std::int64_t id, const json::value& body, bool accept);
  json::object bind_code(const auth::Caller& c);

  // --- handlers and the teacher ----------------------------------------------
  json::object list(const auth::Caller& c, const ListFilter& f);
  json::object get(const auth::Caller& c, std::int64_t id);
  json::object identity(const auth::Caller& c, std::int64_t id);
  json::object assign(const auth::Caller& c, std::int64_t id,
                      std::optional<std::int64_t> handler_id);
  json::object start(const auth::Caller& c, std::int64_t id);
  json::object answer(const auth::Caller& c, std::int64_t id, const AnswerInput& in);
  json::object close(const auth::Caller& c, std::int64_t id, const std::string& note);
  std::pair<std::string, std::string> attachment(const auth::Caller& c, std::int64_t id, std::int64_t att);
  json::array handlers(const auth::Caller& c);
  json::object stats(const auth::Caller& c, std::optional<long long> from, std::optional<long long> to);
  json::array staff_counts(const auth::Caller& c);

  // --- WeChat (the channel's use cases; protocol in wechat.hpp) --------------
  // Handles one verified, decrypted message: the reply text ("" = reply "success").
  // Stores the nonce in the same transaction; a replayed nonce throws 403 with nothing stored.
  std::string wechat_message(const std::map<std::string, std::string>& msg, const std::string& nonce);

  bool is_handler(soci::session& s, const auth::Principal& p) const;

 private:
  json::object create(soci::session& s, const auth::Caller& c, const std::string& kind, const std::string& category,
                      const std::string& channel, const std::string& content, std::optional<long long> student,
                      const std::string& name, const std::string& phone, std::optional<std::string> openid,
                      const json::object* target, const json::array* attachments, long long now);
  // The id of the item with that tracking number and phone (see service.cpp).
  std::optional<long long> track_lookup(soci::session& s, const std::string& tracking_no,
                                        const std::string& phone_digits,
                                        const std::string& address);
  Deps& deps_;
  auth::AttemptLimiter track_by_phone_, track_by_address_, bind_by_openid_;
};

}  // namespace hall::feedback
