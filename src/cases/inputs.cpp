#include "cases/inputs.hpp"
#include "core/errors.hpp"

#include <fmt/format.h>

#include "cases/errors.hpp"
#include "core/error.hpp"

namespace hall::cases {

namespace {

// An empty or absent body reads as {} where every field is optional.
json::value or_empty(const json::value& body) {
  return body.is_null() ? json::value(json::object{}) : body;
}

}  // namespace

IntakeInput parse_intake(const json::value& body) {
  IntakeInput in;
  JsonFields f(body);
  std::string channel_s = f.required_string("channel", 20);
  auto ch = parse_channel(channel_s);
  if (!ch || *ch == Channel::online) throw errors::invalid_channel("channel");
  in.channel = *ch;
  in.ticket_id = f.optional_int("ticket_id", 1);
  in.item_id = f.optional_int("item_id", 1);
  in.student_no = f.optional_string("student_no", 32);
  in.caller_name = f.optional_string("caller_name", 50).value_or("");
  in.caller_phone = f.optional_string("caller_phone", 30).value_or("");
  in.summary = f.optional_string("summary", 500).value_or("");
  in.hall_id = f.optional_int("hall_id", 1);
  f.finish();
  check_text(in.caller_name, "caller_name", 50, true);
  check_text(in.summary, "summary", 500, true);
  return in;
}

ApplyInput parse_apply(const json::value& body) {
  ApplyInput in;
  JsonFields f(body);
  in.item_id = f.required_int("item_id", 1);
  in.summary = f.optional_string("summary", 500).value_or("");
  f.finish();
  check_text(in.summary, "summary", 500, true);
  return in;
}

EditInput parse_edit(const json::value& body) {
  EditInput in;
  JsonFields f(body);
  in.item_id = f.optional_int("item_id", 1);
  in.summary = f.optional_string("summary", 500);
  f.finish();
  if (in.summary) check_text(*in.summary, "summary", 500);
  return in;
}

AssignInput parse_assign(const json::value& body) {
  AssignInput in;
  JsonFields f(body);
  in.handler_id = f.required_int("handler_id", 1);
  f.finish();
  return in;
}

MarksInput parse_marks(const json::value& body) {
  MarksInput in;
  JsonFields f(body);
  const json::array& marks = f.required_array("marks");
  f.finish();
  for (std::size_t i = 0; i < marks.size(); ++i) {
    std::string field = fmt::format("marks[{}]", i);
    if (!marks[i].is_object())
      throw hall::errors::wrong_type.with(field, Text{"字段 " + field, "Field " + field}, Text{"对象", "an object"});
    JsonFields m = f.nested(marks[i].as_object(), field);
    long long mid = m.required_int("material_id", 1);
    std::string ms = m.required_string("mark", 20);
    std::string corr = m.optional_string("correction", 500).value_or("");
    m.finish();
    auto mk = parse_mark(ms);
    if (!mk) throw errors::invalid_mark(field + ".mark");
    check_text(corr, field + ".correction", 500, true);
    in.marks.push_back({mid, *mk, corr, field});
  }
  return in;
}

NoticeInput parse_notice(const json::value& body) {
  NoticeInput in;
  JsonFields f(or_empty(body));
  in.outside_remit = f.optional_bool("outside_remit").value_or(false);
  in.application_limit = f.optional_string("application_limit", 300);
  in.refusal_reason = f.optional_string("refusal_reason", 1000).value_or("");
  in.remarks = f.optional_string("remarks", 1000).value_or("");
  f.finish();
  if (in.application_limit) check_text(*in.application_limit, "application_limit", 300, true);
  check_text(in.refusal_reason, "refusal_reason", 1000, true);
  check_text(in.remarks, "remarks", 1000, true);
  return in;
}

ResubmitInput parse_resubmit(const json::value& body) {
  ResubmitInput in;
  JsonFields f(or_empty(body));
  const json::array* ids = f.optional_array("material_ids");
  in.note = f.optional_string("note", 500).value_or("");
  f.finish();
  check_text(in.note, "note", 500, true);
  if (ids)
    for (std::size_t i = 0; i < ids->size(); ++i) {
      if (!(*ids)[i].is_int64())
        throw hall::errors::wrong_type.with(fmt::format("material_ids[{}]", i), Text{fmt::format("字段 material_ids[{}]", i), fmt::format("Field material_ids[{}]", i)}, Text{"材料编号", "a material id"});
      in.material_ids.insert((*ids)[i].as_int64());
    }
  return in;
}

CompleteInput parse_complete(const json::value& body) {
  CompleteInput in;
  JsonFields f(or_empty(body));
  in.result_note = f.optional_string("result_note", 1000).value_or("");
  in.overdue_reason = f.optional_string("overdue_reason", 500).value_or("");
  f.finish();
  check_text(in.result_note, "result_note", 1000, true);
  check_text(in.overdue_reason, "overdue_reason", 500, true);
  return in;
}

ReferInput parse_refer(const json::value& body) {
  ReferInput in;
  JsonFields f(body);
  in.source = f.optional_string("source", 20).value_or("other");
  in.handler_user_id = f.optional_int("handler_user_id", 1);
  in.office = f.optional_string("office", 100);
  in.handler = f.optional_string("handler", 100);
  in.phone = f.optional_string("phone", 40);
  in.location = f.optional_string("location", 200);
  in.note = f.optional_string("note", 500).value_or("");
  f.finish();
  return in;
}

UnreachableInput parse_unreachable(const json::value& body) {
  UnreachableInput in;
  JsonFields f(or_empty(body));
  in.via = f.optional_string("via", 20);
  in.note = f.optional_string("note", 500).value_or("");
  f.finish();
  check_text(in.note, "note", 500, true);
  return in;
}

GreenInput parse_green(const json::value& body) {
  GreenInput in;
  JsonFields f(body);
  in.reason = f.required_string("reason", 300);
  in.due_at = f.optional_string("due_at", 40);
  f.finish();
  check_text(in.reason, "reason", 300);
  return in;
}

FollowupReplyInput parse_followup_reply(const json::value& body) {
  FollowupReplyInput in;
  JsonFields f(body);
  in.agreed = f.required_string("agreed", 1000);
  in.reply = f.required_string("reply", 1000);
  f.finish();
  check_text(in.agreed, "agreed", 1000);
  check_text(in.reply, "reply", 1000);
  return in;
}

MarkReadInput parse_mark_read(const json::value& body) {
  MarkReadInput in;
  JsonFields f(body);
  const json::array* ids_in = f.optional_array("ids");
  std::optional<bool> all = f.optional_bool("all");
  f.finish();
  in.all = all.value_or(false);
  if (!ids_in && !in.all)
    throw errors::notifications_required("ids");
  if (ids_in) {
    if (ids_in->empty() || ids_in->size() > 200) throw errors::invalid_ids("ids");
    for (std::size_t i = 0; i < ids_in->size(); ++i) {
      const auto& v = (*ids_in)[i];
      if (!v.is_int64() || v.as_int64() < 1)
        throw hall::errors::wrong_type.with(fmt::format("ids[{}]", i), Text{fmt::format("字段 ids[{}]", i), fmt::format("Field ids[{}]", i)}, Text{"正整数", "a positive integer"});
      in.ids.push_back(v.as_int64());
    }
  }
  return in;
}

}  // namespace hall::cases
