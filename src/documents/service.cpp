#include "documents/errors.hpp"
#include "documents/service.hpp"

#include <fmt/format.h>

#include <cmath>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "courtesy/service.hpp"
#include "documents/store.hpp"
#include "documents/pdf.hpp"
#include "documents/module.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "calendar/service.hpp"

namespace hall::documents {

namespace {

// Keys every snapshot carries besides the type's own fields.
const char* kCommonKeys[] = {"hall_name", "issuer_name", "issuer_unit", "issued_on"};

ApiError document_not_found() { return errors::document_not_found(); }

Document must_find(soci::session& s, long long id) {
  auto d = store::find(s, id);
  if (!d) throw std::runtime_error(fmt::format("document {} vanished within its transaction", id));
  return *d;
}

std::string type_name(const std::string& type, bool english) {
  auto t = find_type(type);
  return t ? t->name.in(english) : type;
}

json::object without_common(json::object c) {
  for (const char* k : kCommonKeys) c.erase(k);
  return c;
}

}  // namespace

json::object to_json(const Document& d, bool english, bool with_content) {
  json::object o{{"id", d.id},
                 {"type", d.type},
                 {"type_name", type_name(d.type, english)},
                 {"number", d.number},
                 {"code", d.code},
                 {"code_display", format_code(d.code)},
                 {"verify_path", "/verify/" + d.code},
                 {"student", json::object{{"id", d.student_id}, {"name", d.student_name}, {"student_no", d.student_no}}},
                 {"issuer_name", d.issuer_name},
                 {"issuer_unit", d.issuer_unit},
                 {"issued_at", iso8601_utc(d.issued_at)},
                 {"issued_on", field(d.content, "issued_on")},
                 {"status", d.status},
                 {"revoked_at", d.revoked_at ? json::value(iso8601_utc(*d.revoked_at)) : json::value(nullptr)},
                 {"revoked_reason", d.revoked_at ? json::value(d.revoked_reason) : json::value(nullptr)},
                 {"revoked_by", d.revoked_at ? json::value(d.revoked_by_name) : json::value(nullptr)},
                 {"replaced_by", d.replaced_by ? json::value(*d.replaced_by) : json::value(nullptr)},
                 {"replaces", d.replaces ? json::value(*d.replaces) : json::value(nullptr)},
                 {"ref_type", d.ref_type.empty() ? json::value(nullptr) : json::value(d.ref_type)},
                 {"ref_id", d.ref_id ? json::value(*d.ref_id) : json::value(nullptr)}};
  if (with_content) o["content"] = d.content;
  return o;
}

DocumentService::DocumentService(Deps& deps) : deps_(deps), verify_limiter_(20, 10 * 60 * 1000) {}

std::optional<Document> DocumentService::find(soci::session& s, std::int64_t id) { return store::find(s, id); }

// --- issuing ------------------------------------------------------------------------

json::object DocumentService::fill(soci::session& tx, const auth::Caller& c, const DocumentType& t,
                                   std::int64_t student_id, const json::object* fields, const json::object* original,
                                   const std::string& fields_name) {
  // The client's fields, over those of the document being corrected.
  json::object merged;
  if (original)
    for (const auto& spec : t.client_fields)
      if (const json::value* v = original->if_contains(spec.name); v && v->is_string()) merged[spec.name] = *v;
  if (fields)
    for (const auto& [k, v] : *fields) merged[k] = v;
  JsonFields root(json::value(json::object{}));
  JsonFields f = root.nested(merged, fields_name);
  std::map<std::string, std::string> values;
  for (const auto& spec : t.client_fields) {
    std::optional<std::string> v =
        spec.required ? std::optional(f.required_string(spec.name, spec.max_chars)) : f.optional_string(spec.name, spec.max_chars);
    if (!v) continue;
    if (!spec.options.empty()) {
      bool known = false;
      for (const auto& [value, label] : spec.options) known = known || value == *v;
      if (!known)
        throw errors::invalid_option.with(fields_name + "." + spec.name, spec.label.zh, spec.label.en);
    }
    values[spec.name] = *v;
  }
  f.finish();
  // B1: what staff write onto a document for a student passes the courtesy check.
  for (const auto& spec : t.client_fields)
    if (spec.free_text && values.count(spec.name))
      deps_.courtesy->enforce(tx, c, values[spec.name], "documents." + t.type, fields_name + "." + spec.name);
  Millis now = Clock::now();
  FillContext ctx{tx, c, student_id, values, now, local_date(now, deps_.config.utc_offset_minutes),
                  deps_.calendar, original};
  return t.fill(ctx);
}

Document DocumentService::issue_in(soci::session& tx, const auth::Caller& c, const IssueSpec& spec) {
  return insert_document(tx, c, spec, std::nullopt, deps_.config.hall_name, deps_.config.utc_offset_minutes);
}

Document insert_document(soci::session& tx, const auth::Caller& c, const IssueSpec& spec,
                         std::optional<std::int64_t> replaces, const std::string& fallback_hall_name,
                         int utc_offset_minutes) {
  auto t = find_type(spec.type);
  if (!t) throw std::invalid_argument("unknown document type " + spec.type);
  StudentRecord student = load_student(tx, spec.student_id);
  Millis now = Clock::now();
  std::string today = local_date(now, utc_offset_minutes);

  // The parts every document shows: the hall, the issuer and their unit, the date.
  std::string hall_name = store::first_hall_name(tx).value_or(fallback_hall_name);
  std::string issuer_unit;
  if (c.principal.is_user()) issuer_unit = store::staff_unit_name(tx, c.principal.user_id).value_or("");
  if (issuer_unit.empty()) issuer_unit = hall_name;
  json::object content = spec.content;
  content["hall_name"] = hall_name;
  content["issuer_name"] = c.principal.name;
  content["issuer_unit"] = issuer_unit;
  content["issued_on"] = today;

  int year = std::stoi(today.substr(0, 4));
  std::string number = format_number(t->number_code, year, store::next_sequence(tx, t->number_code, year));
  store::NewDocument row;
  row.type = spec.type;
  row.number = number;
  row.code = spec.code.empty() ? new_verification_code() : spec.code;
  row.student_id = spec.student_id;
  if (c.principal.is_user()) row.issued_by = c.principal.user_id;
  row.issuer_name = c.principal.name;
  row.issuer_unit = issuer_unit;
  row.issued_at = now;
  row.content = json::serialize(content);
  if (replaces) row.replaces = *replaces;
  row.ref_type = spec.ref_type;
  if (spec.ref_id) row.ref_id = *spec.ref_id;
  row.demo = spec.demo;
  std::int64_t id = store::insert(tx, row);
  if (!replaces)
    auth::audit(tx, c, "documents.issue", "document", std::to_string(id),
                json::object{{"type", spec.type}, {"number", number}, {"student_id", student.id},
                             {"student_no", student.student_no}, {"ref_type", spec.ref_type},
                             {"ref_id", spec.ref_id ? json::value(*spec.ref_id) : json::value(nullptr)}});
  return must_find(tx, id);
}

Document DocumentService::correct_in(soci::session& tx, const auth::Caller& c, std::int64_t id,
                                     const std::string& reason, const json::object& new_content) {
  return correct_document(tx, c, id, reason, new_content, deps_.config.hall_name, deps_.config.utc_offset_minutes);
}

Document correct_document(soci::session& tx, const auth::Caller& c, std::int64_t id_in, const std::string& reason,
                          const json::object& new_content, const std::string& fallback_hall_name,
                          int utc_offset_minutes) {
  auto old = store::find(tx, id_in);
  if (!old) throw document_not_found();
  if (old->status != "valid")
    throw errors::document_revoked();
  if (without_common(old->content) == without_common(new_content))
    throw errors::nothing_to_correct();
  IssueSpec spec{old->type, old->student_id, without_common(new_content), old->ref_type, old->ref_id, false, ""};
  Document fresh = insert_document(tx, c, spec, old->id, fallback_hall_name, utc_offset_minutes);
  long long old_id = old->id, new_id = fresh.id;
  std::optional<long long> by;
  if (c.principal.is_user()) by = c.principal.user_id;
  if (!store::revoke(tx, old_id, new_id, by, reason, Clock::now())) throw errors::document_revoked();
  auth::audit(tx, c, "documents.correct", "document", std::to_string(old_id),
              json::object{{"number", old->number}, {"replaced_by", new_id}, {"new_number", fresh.number}, {"reason", reason}});
  return must_find(tx, new_id);
}

json::object DocumentService::issue(const auth::Caller& c, const IssueInput& in) {
  auth::require(c.principal, "documents.issue");
  const std::string& type = in.type;
  std::int64_t student_id = in.student_id;
  auto t = find_type(type);
  if (!t) throw errors::unknown_type("type");
  if (!t->fill)
    throw errors::type_not_issuable("type");
  return deps_.db->write([&](soci::session& tx) {
    json::object content = fill(tx, c, *t, student_id, &in.fields, nullptr, "fields");
    Document d = issue_in(tx, c, IssueSpec{type, student_id, content, "", std::nullopt, false, ""});
    return to_json(d, c.english, true);
  });
}

// B5 accuracy with resident units: a document is corrected (revoked and
// reissued) by the unit that issued it — its staff, whose names stand on it —
// or by the responsible teacher (documents.oversee), never by another unit.
void DocumentService::require_issuing_unit(soci::session& tx, const auth::Caller& c,
                                           const Document& d) {
  if (auth::has_permission(c.principal, "documents.oversee")) return;
  std::optional<std::int64_t> unit;
  if (d.issued_by) unit = store::staff_unit_id(tx, *d.issued_by);
  if (unit && c.principal.unit_id != 0 && *unit == c.principal.unit_id) return;
  throw forbidden({fmt::format("该文件由{}开具，只能由该单位或负责老师更正", d.issuer_unit),
                   "This document was issued by another unit; only that unit or the responsible "
                   "teacher may correct it"});
}

json::object DocumentService::correct(const auth::Caller& c, std::int64_t id, const CorrectInput& in) {
  auth::require(c.principal, "documents.issue");
  const std::string& reason = in.reason;
  return deps_.db->write([&](soci::session& tx) {
    auto old = find(tx, id);
    if (!old) throw document_not_found();
    if (old->status != "valid")
      throw errors::document_revoked();
    auto t = find_type(old->type);
    if (!t || !t->fill)
      throw errors::type_not_correctable();
    require_issuing_unit(tx, c, *old);
    json::object content = fill(tx, c, *t, old->student_id, &in.fields, &old->content, "fields");
    Document d = correct_in(tx, c, id, reason, content);
    return to_json(d, c.english, true);
  });
}

// --- reading ------------------------------------------------------------------------

Document DocumentService::read_for(const auth::Caller& c, std::int64_t id) {
  auto d = deps_.db->read([&](soci::session& s) { return find(s, id); });
  const auth::Principal& p = c.principal;
  if (p.is_student()) {
    // Another student's document is answered as if it did not exist.
    if (!d || d->student_id != p.user_id) throw document_not_found();
    return *d;
  }
  auth::require(p, "documents.issue");
  if (!d) throw document_not_found();
  return *d;
}

json::object DocumentService::get(const auth::Caller& c, std::int64_t id) {
  return to_json(read_for(c, id), c.english, true);
}

std::string DocumentService::render(const Document& d, const std::string& base_url) const {
  auto t = find_type(d.type);
  if (!t) throw std::runtime_error("no template for document type " + d.type);
  RenderInfo info;
  info.hall_name = field(d.content, "hall_name");
  info.number = d.number;
  info.code = d.code;
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  info.verify_url = base + "/verify/" + d.code;
  info.revoked = d.status != "valid";
  return render_pdf(t->layout(d.content), info);
}

std::string DocumentService::pdf(const auth::Caller& c, std::int64_t id, const std::string& base_url,
                                 std::string* file_name) {
  Document d = read_for(c, id);
  if (file_name) *file_name = d.number + ".pdf";
  return render(d, base_url);
}

namespace {

using store::Page;

json::object page_json(const Page& p, int page, int page_size, bool english) {
  json::array items;
  for (const auto& d : p.items) items.push_back(to_json(d, english, false));
  return json::object{{"items", items}, {"total", p.total}, {"page", page}, {"page_size", page_size}};
}

}  // namespace

json::object DocumentService::list(const auth::Caller& c, const ListQuery& q) {
  auth::require(c.principal, "documents.issue");
  if (!q.type.empty() && !find_type(q.type)) throw errors::unknown_type("type");
  if (!q.status.empty() && q.status != "valid" && q.status != "revoked")
    throw errors::invalid_status.with("status", "valid 或 revoked", "valid or revoked");
  Page p = deps_.db->read([&](soci::session& s) { return store::list(s, q); });
  return page_json(p, q.page, q.page_size, c.english);
}

json::object DocumentService::mine(const auth::Caller& c, int page, int page_size) {
  if (!c.principal.is_user()) throw forbidden();
  ListQuery q;
  q.student_id = c.principal.user_id;
  q.page = page;
  q.page_size = page_size;
  Page p = deps_.db->read([&](soci::session& s) { return store::list(s, q); });
  return page_json(p, page, page_size, c.english);
}

json::object DocumentService::stats(const auth::Caller& c, std::optional<Millis> from_in, std::optional<Millis> to_in) {
  auth::require(c.principal, "stats.read");
  long long from = from_in.value_or(0), to = to_in.value_or(INT64_MAX);
  return deps_.db->read([&](soci::session& s) {
    AccuracyStats all;
    json::array by_type;
    for (const auto& [type, issued, corrected] : store::counts_by_type(s, from, to)) {
      AccuracyStats a{issued, corrected};
      all.issued += issued;
      all.corrected += corrected;
      auto rate = a.accuracy_rate();
      by_type.push_back(json::object{{"type", type},
                                     {"type_name", type_name(type, c.english)},
                                     {"issued", issued},
                                     {"corrected", corrected},
                                     {"accuracy_rate", rate ? json::value(*rate) : json::value(nullptr)}});
    }
    // Each correction with its reason, so every miss is visible (B5).
    json::array corrections;
    for (const auto& x : store::corrections(s, from, to))
      corrections.push_back(json::object{{"number", x.number},
                                         {"replaced_by_number", x.new_number},
                                         {"type_name", type_name(x.type, c.english)},
                                         {"reason", x.reason},
                                         {"corrected_by", x.by ? json::value(*x.by) : json::value(nullptr)},
                                         {"corrected_at", iso8601_utc(x.at)}});
    auto rate = all.accuracy_rate();
    return json::object{{"from", from_in ? json::value(iso8601_utc(*from_in)) : json::value(nullptr)},
                        {"to", to_in ? json::value(iso8601_utc(*to_in)) : json::value(nullptr)},
                        {"issued", all.issued},
                        {"corrected", all.corrected},
                        {"accuracy_rate", rate ? json::value(*rate) : json::value(nullptr)},
                        {"target", 1.0},
                        {"by_type", by_type},
                        {"corrections", corrections}};
  });
}

json::object DocumentService::subject(const auth::Caller& c, const std::string& student_no) {
  auth::require(c.principal, "documents.issue");
  return deps_.db->read([&](soci::session& s) {
    auto id = store::student_id_by_no(s, student_no);
    if (!id) throw errors::student_not_found();
    StudentRecord r = load_student(s, *id);
    return json::object{{"id", r.id},
                        {"name", r.name},
                        {"student_no", r.student_no},
                        {"college", r.college},
                        {"major", r.major},
                        {"class_name", r.class_name},
                        {"enrolment_year", r.enrolment_year ? json::value(*r.enrolment_year) : json::value(nullptr)},
                        {"enrolled", !r.disabled}};
  });
}

json::object DocumentService::types(const auth::Caller& c, bool english) {
  auth::require(c.principal, "documents.issue");
  json::array items;
  for (const auto& t : all_types()) {
    json::array fields;
    for (const auto& f : t->client_fields) {
      json::array options;
      for (const auto& [value, label] : f.options)
        options.push_back(json::object{{"value", value}, {"label", label.in(english)}});
      fields.push_back(json::object{{"name", f.name},
                                    {"label", f.label.in(english)},
                                    {"required", f.required},
                                    {"max_chars", f.max_chars},
                                    {"options", options},
                                    {"courtesy_checked", f.free_text}});
    }
    items.push_back(json::object{{"type", t->type},
                                 {"name", t->name.in(english)},
                                 {"number_code", t->number_code},
                                 {"issuable", static_cast<bool>(t->fill)},
                                 {"fields", fields}});
  }
  return json::object{{"items", items}};
}

json::object DocumentService::verify(const std::string& typed, const std::string& address, std::int64_t* retry_after_s) {
  Millis now = Clock::now();
  auto code = normalize_code(typed);
  std::optional<Document> d;
  if (code) d = deps_.db->read([&](soci::session& s) { return store::find_by_code(s, *code); });
  // A valid code is answered even when its address is over the limit: many
  // people share a campus address, and the code is too long to guess, so the
  // limit only has to stop the guessing (failures), never a genuine check.
  if (!d) {
    if (Millis wait = verify_limiter_.retry_after_ms(address, now); wait > 0) {
      if (retry_after_s) *retry_after_s = (wait + 999) / 1000;
      throw errors::too_many_attempts();
    }
    verify_limiter_.record_failure(address, now);
    throw errors::not_authentic();
  }
  // Nothing beyond authenticity: no 学号, no content, no full name (see service.hpp).
  return json::object{{"authentic", true},
                      {"status", d->status},
                      {"type", d->type},
                      {"type_name", type_name(d->type, false)},
                      {"type_name_en", type_name(d->type, true)},
                      {"number", d->number},
                      {"issued_at", iso8601_utc(d->issued_at)},
                      {"issued_on", field(d->content, "issued_on")},
                      {"issuer_unit", d->issuer_unit},
                      {"subject", mask_name(d->student_name)},
                      {"revoked_at", d->revoked_at ? json::value(iso8601_utc(*d->revoked_at)) : json::value(nullptr)},
                      {"replaced", d->replaced_by.has_value()}};
}

}  // namespace hall::documents
