#include "cases/documents.hpp"

#include "calendar/service.hpp"
#include "cases/module.hpp"
#include "cases/warnings.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "courtesy/service.hpp"
#include "db/database.hpp"
#include "documents/case_templates.hpp"
#include "documents/service.hpp"
#include "documents/templates.hpp"
#include "http/push.hpp"

namespace hall::cases {

namespace {

json::array names(const std::vector<NoticeMaterial>& mats, bool (*keep)(Mark)) {
  json::array out;
  for (const auto& m : mats)
    if (keep(m.mark)) out.push_back(json::value(m.name));
  return out;
}

}  // namespace

std::optional<long long> issue_notice_document(Deps& deps, soci::session& s, const auth::Caller& c,
                                               const store::Case& k, long long notice_id) {
  if (!k.student_id) return std::nullopt;
  std::optional<store::Notice> n;
  for (auto& x : store::notices(s, k.id))
    if (x.id == notice_id) n = x;
  if (!n) return std::nullopt;
  json::array defective;
  for (const auto& m : n->materials)
    if (m.mark == Mark::defective)
      defective.push_back(json::object{{"name", m.name}, {"correction", m.correction}});
  // Every field from the records: the case, the notice as issued, the student's account.
  json::object content{
      {"case_no", k.case_no},
      {"notice_no", n->notice_no},
      {"student_name", k.student_name},
      {"student_no", k.student_no},
      {"item_name", n->item_name},
      {"staff_name", n->staff_name},
      {"outside_remit", n->outside_remit},
      {"materials_required", names(n->materials, [](Mark m) { return m != Mark::not_applicable; })},
      {"application_limit", n->application_limit},
      {"missing", names(n->materials, [](Mark m) { return m == Mark::missing; })},
      {"defective", defective},
      {"refusal_reason", n->refusal_reason},
      {"remarks", n->remarks},
  };
  documents::IssueSpec spec;
  spec.type = "one_time_notice";
  spec.student_id = *k.student_id;
  spec.content = std::move(content);
  spec.ref_type = "case";
  spec.ref_id = k.id;
  return deps.documents->issue_in(s, c, spec).id;
}

std::optional<long long> issue_referral_document(Deps& deps, soci::session& s,
                                                 const auth::Caller& c, const store::Case& k,
                                                 long long referral_id) {
  if (!k.student_id) return std::nullopt;
  std::optional<store::ReferralRow> r;
  for (auto& x : store::referrals(s, k.id))
    if (x.id == referral_id) r = x;
  if (!r) return std::nullopt;
  std::string first =
      k.first_responder_id ? store::user_name(s, *k.first_responder_id) : c.principal.name;
  json::object content{{"case_no", k.case_no},       {"student_name", k.student_name},
                       {"student_no", k.student_no}, {"summary", k.summary},
                       {"item_name", k.item_name},   {"first_responder", first},
                       {"office", r->r.office},      {"handler", r->r.handler},
                       {"phone", r->r.phone},        {"location", r->r.location},
                       {"note", r->r.note}};
  documents::IssueSpec spec;
  spec.type = "referral_slip";
  spec.student_id = *k.student_id;
  spec.content = std::move(content);
  spec.ref_type = "case";
  spec.ref_id = k.id;
  return deps.documents->issue_in(s, c, spec).id;
}

json::array case_documents(Deps& deps, soci::session& s, long long case_id) {
  json::array out;
  for (const auto& d : store::case_documents(s, case_id)) {
    // The type's name for people (一次性告知书), never its code.
    auto known = documents::find_type(d.type);
    out.push_back(json::object{{"id", d.id},
                               {"type", d.type},
                               {"type_name", known ? known->name.zh : d.type},
                               {"type_name_en", known ? known->name.en : d.type},
                               {"number", d.number},
                               {"status", d.status},
                               {"issued_at", iso8601_utc(d.issued_at)},
                               {"pdf", "/api/v1/documents/" + std::to_string(d.id) + "/pdf"}});
  }
  return out;
}

}  // namespace hall::cases
