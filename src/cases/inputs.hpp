// What the requests on cases carry, read from their JSON bodies by the routes
// (strictly: types, lengths, unknown fields refused, the field named in every
// error). The services take these and check the rules (B6.1–B6.5).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cases/model.hpp"
#include "core/json.hpp"

namespace hall::cases {

// POST /cases: a case opened by staff (ticket, phone or walk-in).
struct IntakeInput {
  Channel channel = Channel::walk_in;
  std::optional<std::int64_t> ticket_id, item_id, hall_id;
  std::optional<std::string> student_no;
  std::string caller_name, caller_phone, summary;
};
IntakeInput parse_intake(const json::value& body);

// POST /my/cases: a student's online application.
struct ApplyInput {
  std::int64_t item_id = 0;
  std::string summary;
};
ApplyInput parse_apply(const json::value& body);

// PATCH /cases/{id}
struct EditInput {
  std::optional<std::int64_t> item_id;
  std::optional<std::string> summary;
};
EditInput parse_edit(const json::value& body);

// POST /cases/{id}/assign
struct AssignInput {
  std::int64_t handler_id = 0;
};
AssignInput parse_assign(const json::value& body);

// PUT /cases/{id}/materials: marks[i] = {material_id, mark, correction}.
struct MarkInput {
  std::int64_t material_id = 0;
  Mark mark = Mark::provided;
  std::string correction;
  std::string field;  // "marks[i]", for errors found later
};
struct MarksInput {
  std::vector<MarkInput> marks;
};
MarksInput parse_marks(const json::value& body);

// POST /cases/{id}/notice-preview and /notices (B6.2): parts (1), (3), (6) and remarks.
struct NoticeInput {
  bool outside_remit = false;
  std::optional<std::string> application_limit;
  std::string refusal_reason, remarks;
};
NoticeInput parse_notice(const json::value& body);

// POST /cases/{id}/resubmit
struct ResubmitInput {
  std::set<std::int64_t> material_ids;  // empty: what was asked for
  std::string note;
};
ResubmitInput parse_resubmit(const json::value& body);

// POST /cases/{id}/complete
struct CompleteInput {
  std::string result_note, overdue_reason;
};
CompleteInput parse_complete(const json::value& body);

// POST /cases/{id}/refer (B6.1): source catalog / staff / other; given fields override the
// source's.
struct ReferInput {
  std::string source = "other";
  std::optional<std::int64_t> handler_user_id;
  std::optional<std::string> office, handler, phone, location;
  std::string note;
};
ReferInput parse_refer(const json::value& body);

// POST /cases/{id}/unreachable (B6.1)
struct UnreachableInput {
  std::optional<std::string> via;  // window / phone / portal; a student's is always portal
  std::string note;
};
UnreachableInput parse_unreachable(const json::value& body);

// POST /cases/{id}/green-channel (B6.5)
struct GreenInput {
  std::string reason;
  std::optional<std::string> due_at;  // ISO 8601, checked by the service
};
GreenInput parse_green(const json::value& body);

// POST /followups/{id}/reply (B6.1)
struct FollowupReplyInput {
  std::string agreed, reply;
};
FollowupReplyInput parse_followup_reply(const json::value& body);

// POST /my/notifications/read (B6.3 warnings): {"ids":[…]} or {"all":true}.
struct MarkReadInput {
  std::vector<long long> ids;
  bool all = false;
};
MarkReadInput parse_mark_read(const json::value& body);

}  // namespace hall::cases
