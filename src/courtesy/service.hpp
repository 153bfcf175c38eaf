// The courtesy check as a service (B1 文明用语, B6.1): the administrators' list
// of forbidden phrasings, the check every staff screen calls, the server-side
// guard other capabilities call before saving a text staff write to a student,
// and the record of every blocked attempt for the responsible teacher.
//
// For other capabilities (cases, complaints, …), before saving any text a staff
// member writes to a student, inside your write transaction:
//
//   deps.courtesy->enforce(tx, caller, remark, "cases.notice", "remark");
//
// On a match it records the blocked attempt in its own transaction (so the
// record survives your rollback) and throws courtesy::DiscourteousText, an
// ApiError 422 `discourteous_text` whose message names the phrasing and the
// courteous wording, with `field` set to the field you name. To answer with the
// matches and suggestion in the body too ({"error":{…,"matches":[…],
// "suggestion":…,"suggested_text":…}}), wrap your route's handler:
//
//   router.post("/api/v1/cases/{id}/notice", access, courtesy::with_blocked_details([…](Request& req) {…}));
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "auth/principal.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "courtesy/model.hpp"
#include "courtesy/store.hpp"
#include "db/database.hpp"
#include "http/router.hpp"

namespace hall::courtesy {

// 422 discourteous_text, carrying what matched.
class DiscourteousText : public ApiError {
 public:
  DiscourteousText(CheckResult result, std::string field);
  const CheckResult& result() const { return result_; }

 private:
  CheckResult result_;
};

// {"error":{"code":"discourteous_text","message","field","matches","suggestion","suggested_text"}}
http::Response blocked_response(const DiscourteousText& e, bool english);
// Wraps a handler so that a DiscourteousText it throws is answered with the matches.
http::Handler with_blocked_details(http::Handler h);

json::object to_json(const CheckResult& r);
json::array matches_json(const CheckResult& r);

struct PhraseQuery {
  std::string text;
  std::optional<bool> active;
};

using AttemptQuery = store::AttemptFilter;

// A phrase as created or updated: an absent field is left as it is; clause and
// note are cleared with "".
struct PhraseInput {
  std::optional<std::string> label, pattern, suggestion, clause, note;
  std::optional<bool> active;
};

class CourtesyService {
 public:
  // Fills in the shipped phrases once per database (settings 'courtesy.seeded').
  explicit CourtesyService(db::Database& db);
  ~CourtesyService();
  CourtesyService(const CourtesyService&) = delete;
  CourtesyService& operator=(const CourtesyService&) = delete;

  // The check as POST /courtesy/check offers it. attempt=true: the screen is
  // about to send the text; a failing check is then recorded as a blocked attempt.
  CheckResult check(const auth::Caller& caller, std::string_view text, std::string_view context, bool attempt);
  // Pure check against the active phrases (no record).
  CheckResult check_text(soci::session& s, std::string_view text);

  // B1: refuses a text staff write to a student (see the top of this file).
  void enforce(soci::session& tx, const auth::Caller& caller, std::string_view text, std::string_view context,
               std::string_view field = "text");

  // Phrases: read by every staff member (courtesy.check), written by courtesy.manage; audited.
  json::object list_phrases(const auth::Caller& c, const PhraseQuery& q);
  json::object create_phrase(const auth::Caller& c, const PhraseInput& in);
  json::object update_phrase(const auth::Caller& c, std::int64_t id, const PhraseInput& in);
  void delete_phrase(const auth::Caller& c, std::int64_t id);
  // Tries a pattern on a sample text without saving (courtesy.manage).
  json::object try_pattern(const auth::Caller& c, const std::string& pattern, const std::string& text);

  // Blocked attempts (courtesy.review).
  json::object list_attempts(const auth::Caller& c, const AttemptQuery& q);

  // Waits until the attempts enforce() handed over are written (tests, and
  // list_attempts, so a reader sees what was just refused).
  void flush();

 private:
  using Attempt = store::AttemptRow;
  std::shared_ptr<const Matcher> matcher(soci::session& s);
  static Attempt make_attempt(const auth::Caller& caller, std::string_view source, std::string_view text,
                              std::string_view context, const CheckResult& r);
  void recorder_loop();

  db::Database& db_;
  std::mutex cache_mu_;
  std::string cache_key_;
  std::shared_ptr<const Matcher> cache_;

  // enforce() runs inside the caller's transaction, which will roll back; its
  // attempt is written by this thread in a transaction of its own (on SQLite it
  // waits for the caller's write lock to go, which happens as the error unwinds).
  std::mutex q_mu_;
  std::condition_variable q_cv_, q_idle_;
  std::deque<Attempt> queue_;
  int in_flight_ = 0;
  bool stop_ = false;
  std::thread recorder_;
};

}  // namespace hall::courtesy
