// Cases as use cases, one file per use case: intake.cpp (opening, receiving,
// assigning), reads.cpp, notice.cpp (B6.2 one-time notification), referrals.cpp
// (B6.1 referrals and follow-ups), time_limits.cpp (B6.3 acceptance, completion,
// B6.5 green channel), oversight.cpp; JSON in views.cpp, SQL in store*.cpp,
// shared checks in access.cpp, request bodies read in inputs.cpp.
//
// Permission checks, one transaction per write, the audit
// entry inside it, the courtesy check on every text staff write to a student
// (B1, via courtesy::CourtesyService::enforce), documents issued from
// templates (the one-time notice and the referral slip, src/documents/).
//
// Who may do what (record level, on top of the route's permission):
//   - students (self.read) see their own cases only (another's: 404), apply
//     online, report "could not reach" and bring materials for their own cases;
//   - staff (cases.handle) read every case of the hall; they act on a case when
//     they are its first responder or its handler, or when nobody has received
//     it yet (then they become its first responder, B6.1);
//   - the responsible teacher and administrators (cases.oversee) act on any
//     case and see the at-risk, overdue, breach and follow-up lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "cases/inputs.hpp"
#include "cases/model.hpp"
#include "cases/module.hpp"
#include "core/json.hpp"

namespace hall::cases {

struct ListQuery {
  std::string scope;   // "" / all, mine (first responder or handler), open
  std::string status;  // one status
  std::string text;    // case number, summary, student name or number
  int page = 1, page_size = 20;
};

struct StatsQuery {
  std::optional<std::string> from, to;  // local dates YYYY-MM-DD, inclusive
  std::optional<std::int64_t> staff_id;
};

class CaseService {
 public:
  explicit CaseService(Deps& deps) : deps_(deps) {}

  // Intake (cases.handle): ticket / phone / walk_in. Students: apply online.
  json::object intake(const auth::Caller& c, const IntakeInput& in);
  json::object apply_online(const auth::Caller& c, const ApplyInput& in);

  json::object list(const auth::Caller& c, const ListQuery& q) const;
  json::object mine(const auth::Caller& c) const;
  json::object get(const auth::Caller& c, std::int64_t id) const;
  json::object notice(const auth::Caller& c, std::int64_t case_id, std::int64_t notice_id) const;

  json::object edit(const auth::Caller& c, std::int64_t id, const EditInput& in);
  json::object receive(const auth::Caller& c, std::int64_t id);
  json::object assign(const auth::Caller& c, std::int64_t id, const AssignInput& in);
  json::object mark(const auth::Caller& c, std::int64_t id, const MarksInput& in);
  json::object preview_notice(const auth::Caller& c, std::int64_t id, const NoticeInput& in) const;
  json::object issue_notice(const auth::Caller& c, std::int64_t id, const NoticeInput& in);
  json::object resubmit(const auth::Caller& c, std::int64_t id, const ResubmitInput& in);
  json::object accept(const auth::Caller& c, std::int64_t id);
  json::object complete(const auth::Caller& c, std::int64_t id, const CompleteInput& in);
  json::object refer(const auth::Caller& c, std::int64_t id, const ReferInput& in);
  json::object unreachable(const auth::Caller& c, std::int64_t id, const UnreachableInput& in);
  json::object green(const auth::Caller& c, std::int64_t id, const GreenInput& in);

  json::object followups(const auth::Caller& c, const std::string& scope) const;
  json::object reply_followup(const auth::Caller& c, std::int64_t followup_id,
                              const FollowupReplyInput& in);

  json::object oversight(const auth::Caller& c) const;
  json::object stats(const auth::Caller& c, const StatsQuery& q) const;
  json::object contacts(const auth::Caller& c, const std::string& text) const;

 private:
  Deps& deps_;
};

}  // namespace hall::cases
