#include "documents/service.hpp"

#include <fmt/format.h>

#include <cmath>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "courtesy/service.hpp"
#include "db/filter.hpp"
#include "db/optional.hpp"
#include "db/row.hpp"
#include "documents/pdf.hpp"
#include "documents/module.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "calendar/service.hpp"

namespace hall::documents {

namespace {

// Keys every snapshot carries besides the type's own fields.
const char* kCommonKeys[] = {"hall_name", "issuer_name", "issuer_unit", "issued_on"};

ApiError document_not_found() { return not_found("document_not_found", {"找不到该文件", "No such document"}); }

const char* kSelect =
    "SELECT d.id, d.type, d.number, d.verify_code, d.student_id, u.name, st.student_no, d.issued_by, d.issuer_name, "
    "d.issuer_unit, d.issued_at, d.content, d.status, d.revoked_at, d.revoked_reason, rb.name, d.replaced_by, "
    "d.replaces, d.ref_type, d.ref_id FROM documents d JOIN users u ON u.id = d.student_id "
    "LEFT JOIN students st ON st.user_id = d.student_id LEFT JOIN users rb ON rb.id = d.revoked_by";

struct Row {
  long long id = 0, student_id = 0, issued_at = 0;
  std::string type, number, code, student_name, issuer_name, issuer_unit, content, status, revoked_reason, ref_type;
  std::optional<std::string> student_no, revoked_by_name;
  std::optional<long long> issued_by, revoked_at, replaced_by, replaces, ref_id;

  Document to_document() const {
    Document d;
    d.id = id;
    d.type = type;
    d.number = number;
    d.code = code;
    d.student_id = student_id;
    d.student_name = student_name;
    d.student_no = student_no.value_or("");
    d.issued_by = issued_by;
    d.issuer_name = issuer_name;
    d.issuer_unit = issuer_unit;
    d.issued_at = issued_at;
    boost::system::error_code ec;
    json::value v = json::parse(content, ec);
    if (!ec && v.is_object()) d.content = v.as_object();
    d.status = status;
    d.revoked_at = revoked_at;
    d.revoked_reason = revoked_reason;
    d.revoked_by_name = revoked_by_name.value_or("");
    d.replaced_by = replaced_by;
    d.replaces = replaces;
    d.ref_type = ref_type;
    d.ref_id = ref_id;
    return d;
  }
};

void bind_row(soci::statement& st, Row& r) {
  st.exchange(soci::into(r.id));
  st.exchange(soci::into(r.type));
  st.exchange(soci::into(r.number));
  st.exchange(soci::into(r.code));
  st.exchange(soci::into(r.student_id));
  st.exchange(soci::into(r.student_name));
  st.exchange(soci::into(r.student_no));
  st.exchange(soci::into(r.issued_by));
  st.exchange(soci::into(r.issuer_name));
  st.exchange(soci::into(r.issuer_unit));
  st.exchange(soci::into(r.issued_at));
  st.exchange(soci::into(r.content));
  st.exchange(soci::into(r.status));
  st.exchange(soci::into(r.revoked_at));
  st.exchange(soci::into(r.revoked_reason));
  st.exchange(soci::into(r.revoked_by_name));
  st.exchange(soci::into(r.replaced_by));
  st.exchange(soci::into(r.replaces));
  st.exchange(soci::into(r.ref_type));
  st.exchange(soci::into(r.ref_id));
}

std::optional<Document> find_where(soci::session& s, const std::string& where, const std::string& value_s,
                                   long long value_i, bool by_string) {
  Row r;
  soci::statement st(s);
  bind_row(st, r);
  if (by_string) st.exchange(soci::use(value_s, "v"));
  else st.exchange(soci::use(value_i, "v"));
  st.alloc();
  st.prepare(std::string(kSelect) + where);
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  return r.to_document();
}

Document must_find(soci::session& s, long long id) {
  auto d = find_where(s, " WHERE d.id = :v", "", id, false);
  if (!d) throw std::runtime_error(fmt::format("document {} vanished within its transaction", id));
  return *d;
}

std::string type_name(const std::string& type, bool english) {
  auto t = find_type(type);
  return t ? t->name.in(english) : type;
}

long long next_sequence(soci::session& s, const std::string& prefix, int year) {
  s << "INSERT INTO document_sequences (prefix, year, last_value) VALUES (:p, :y, 0) ON CONFLICT (prefix, year) DO NOTHING",
      soci::use(prefix), soci::use(year);
  s << "UPDATE document_sequences SET last_value = last_value + 1 WHERE prefix = :p AND year = :y", soci::use(prefix),
      soci::use(year);
  long long v = 0;
  s << "SELECT last_value FROM document_sequences WHERE prefix = :p AND year = :y", soci::use(prefix), soci::use(year),
      soci::into(v);
  return v;
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

std::optional<Document> DocumentService::find(soci::session& s, std::int64_t id) {
  return find_where(s, " WHERE d.id = :v", "", id, false);
}

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
        throw bad_request("invalid_option",
                          {fmt::format("{} 的取值不在可选范围内", spec.label.zh), fmt::format("{} is not one of the options", spec.label.en)},
                          fields_name + "." + spec.name);
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
  std::string hall_name;
  {
    std::optional<std::string> h;
    tx << "SELECT name FROM halls ORDER BY id LIMIT 1", soci::into(h);
    hall_name = tx.got_data() && h ? *h : fallback_hall_name;
  }
  std::string issuer_unit;
  if (c.principal.is_user()) {
    std::optional<std::string> unit;
    long long uid = c.principal.user_id;
    tx << "SELECT un.name FROM staff s JOIN units un ON un.id = s.unit_id WHERE s.user_id = :u", soci::use(uid),
        soci::into(unit);
    if (tx.got_data() && unit) issuer_unit = *unit;
  }
  if (issuer_unit.empty()) issuer_unit = hall_name;
  json::object content = spec.content;
  content["hall_name"] = hall_name;
  content["issuer_name"] = c.principal.name;
  content["issuer_unit"] = issuer_unit;
  content["issued_on"] = today;

  int year = std::stoi(today.substr(0, 4));
  std::string number = format_number(t->number_code, year, next_sequence(tx, t->number_code, year));
  std::string code = spec.code.empty() ? new_verification_code() : spec.code;
  std::string content_text = json::serialize(content);
  std::optional<long long> issued_by, ref_id = spec.ref_id ? std::optional<long long>(*spec.ref_id) : std::nullopt,
                                      replaces_id = replaces ? std::optional<long long>(*replaces) : std::nullopt;
  if (c.principal.is_user()) issued_by = c.principal.user_id;
  long long id = 0, student_id = spec.student_id, at = now;
  int demo = spec.demo ? 1 : 0;
  tx << "INSERT INTO documents (type, number, verify_code, student_id, issued_by, issuer_name, issuer_unit, issued_at, "
        "content, status, replaces, ref_type, ref_id, is_demo) VALUES (:type, :number, :code, :student, :by, :iname, "
        ":iunit, :at, :content, 'valid', :replaces, :rtype, :rid, :demo) RETURNING id",
      soci::use(spec.type), soci::use(number), soci::use(code), soci::use(student_id), soci::use(issued_by),
      soci::use(c.principal.name), soci::use(issuer_unit), soci::use(at), soci::use(content_text), soci::use(replaces_id),
      soci::use(spec.ref_type), soci::use(ref_id), soci::use(demo), soci::into(id);
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
  auto old = find_where(tx, " WHERE d.id = :v", "", id_in, false);
  if (!old) throw document_not_found();
  if (old->status != "valid")
    throw conflict("document_revoked", {"该文件已作废，请更正其替代文件", "This document is already revoked; correct its replacement"});
  if (without_common(old->content) == without_common(new_content))
    throw unprocessable("nothing_to_correct",
                        {"更正后的内容与原文件相同；如只需重新打印，请直接下载原文件",
                         "The corrected content equals the original; to reprint, download the original"});
  IssueSpec spec{old->type, old->student_id, without_common(new_content), old->ref_type, old->ref_id, false, ""};
  Document fresh = insert_document(tx, c, spec, old->id, fallback_hall_name, utc_offset_minutes);
  long long old_id = old->id, new_id = fresh.id, now = Clock::now();
  std::optional<long long> by;
  if (c.principal.is_user()) by = c.principal.user_id;
  soci::statement st = (tx.prepare << "UPDATE documents SET status = 'revoked', revoked_at = :at, revoked_by = :by, "
                                      "revoked_reason = :reason, replaced_by = :new WHERE id = :id AND status = 'valid'",
                        soci::use(now), soci::use(by), soci::use(reason), soci::use(new_id), soci::use(old_id));
  st.execute(true);
  if (st.get_affected_rows() != 1)
    throw conflict("document_revoked", {"该文件已作废，请更正其替代文件", "This document is already revoked; correct its replacement"});
  auth::audit(tx, c, "documents.correct", "document", std::to_string(old_id),
              json::object{{"number", old->number}, {"replaced_by", new_id}, {"new_number", fresh.number}, {"reason", reason}});
  return must_find(tx, new_id);
}

json::object DocumentService::issue(const auth::Caller& c, const json::value& body) {
  auth::require(c.principal, "documents.issue");
  JsonFields f(body);
  std::string type = f.required_string("type", 40);
  std::int64_t student_id = f.required_int("student_id", 1, INT64_MAX);
  const json::object* fields = f.optional_object("fields");
  f.finish();
  auto t = find_type(type);
  if (!t) throw bad_request("unknown_type", {"不认识的文件类型", "Unknown document type"}, "type");
  if (!t->fill)
    throw bad_request("type_not_issuable", {"该类文件由相应业务办理时生成，不能在此开具",
                                            "This kind of document is produced by its own procedure, not issued here"},
                      "type");
  json::object body_copy = fields ? *fields : json::object{};
  return deps_.db->write([&](soci::session& tx) {
    json::object content = fill(tx, c, *t, student_id, &body_copy, nullptr, "fields");
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
  std::optional<long long> unit;
  if (d.issued_by) {
    long long by = *d.issued_by;
    tx << "SELECT unit_id FROM staff WHERE user_id = :u", soci::use(by), soci::into(unit);
    if (!tx.got_data()) unit.reset();
  }
  if (unit && c.principal.unit_id != 0 && *unit == c.principal.unit_id) return;
  throw forbidden({fmt::format("该文件由{}开具，只能由该单位或负责老师更正", d.issuer_unit),
                   "This document was issued by another unit; only that unit or the responsible "
                   "teacher may correct it"});
}

json::object DocumentService::correct(const auth::Caller& c, std::int64_t id, const json::value& body) {
  auth::require(c.principal, "documents.issue");
  JsonFields f(body);
  std::string reason = f.required_string("reason", 200);
  const json::object* fields = f.optional_object("fields");
  f.finish();
  json::object fields_copy = fields ? *fields : json::object{};
  return deps_.db->write([&](soci::session& tx) {
    auto old = find(tx, id);
    if (!old) throw document_not_found();
    if (old->status != "valid")
      throw conflict("document_revoked", {"该文件已作废，请更正其替代文件", "This document is already revoked; correct its replacement"});
    auto t = find_type(old->type);
    if (!t || !t->fill)
      throw conflict("type_not_correctable", {"该类文件须在相应业务中更正", "This kind of document is corrected by its own procedure"});
    require_issuing_unit(tx, c, *old);
    json::object content = fill(tx, c, *t, old->student_id, &fields_copy, &old->content, "fields");
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

struct Page {
  std::vector<Document> items;
  long long total = 0;
};

Page query(soci::session& s, const ListQuery& q) {
  std::string text = "%" + q.text + "%";
  db::Filter f;
  f.add(q.student_id.has_value(), "d.student_id = :student", {static_cast<long long>(q.student_id.value_or(0))})
      .add(!q.student_no.empty(), "st.student_no = :no", {q.student_no})
      .add(!q.type.empty(), "d.type = :type", {q.type})
      .add(!q.status.empty(), "d.status = :status", {q.status})
      .add(!q.text.empty(), "d.number LIKE :t1 OR u.name LIKE :t2 OR st.student_no LIKE :t3", {text, text, text})
      .add(q.from_ms.has_value(), "d.issued_at >= :from", {static_cast<long long>(q.from_ms.value_or(0))})
      .add(q.to_ms.has_value(), "d.issued_at < :to", {static_cast<long long>(q.to_ms.value_or(0))});
  Page page;
  page.total = f.count(s,
                       "FROM documents d JOIN users u ON u.id = d.student_id "
                       "LEFT JOIN students st ON st.user_id = d.student_id");
  // The document rows bind into a Row (bind_row), so this statement binds the filter itself.
  Row r;
  soci::statement st(s);
  bind_row(st, r);
  f.bind(st);
  st.alloc();
  st.prepare(std::string(kSelect) + f.where() + " ORDER BY d.issued_at DESC, d.id DESC" +
             db::Filter::limit_offset(q.page, q.page_size));
  st.define_and_bind();
  st.execute();
  while (st.fetch()) page.items.push_back(r.to_document());
  return page;
}

json::object page_json(const Page& p, int page, int page_size, bool english) {
  json::array items;
  for (const auto& d : p.items) items.push_back(to_json(d, english, false));
  return json::object{{"items", items}, {"total", p.total}, {"page", page}, {"page_size", page_size}};
}

}  // namespace

json::object DocumentService::list(const auth::Caller& c, const ListQuery& q) {
  auth::require(c.principal, "documents.issue");
  if (!q.type.empty() && !find_type(q.type)) throw bad_request("unknown_type", {"不认识的文件类型", "Unknown document type"}, "type");
  if (!q.status.empty() && q.status != "valid" && q.status != "revoked")
    throw bad_request("invalid_status", {"status 应为 valid 或 revoked", "status must be valid or revoked"}, "status");
  Page p = deps_.db->read([&](soci::session& s) { return query(s, q); });
  return page_json(p, q.page, q.page_size, c.english);
}

json::object DocumentService::mine(const auth::Caller& c, int page, int page_size) {
  if (!c.principal.is_user()) throw forbidden();
  ListQuery q;
  q.student_id = c.principal.user_id;
  q.page = page;
  q.page_size = page_size;
  Page p = deps_.db->read([&](soci::session& s) { return query(s, q); });
  return page_json(p, page, page_size, c.english);
}

json::object DocumentService::stats(const auth::Caller& c, std::optional<Millis> from_in, std::optional<Millis> to_in) {
  auth::require(c.principal, "stats.read");
  long long from = from_in.value_or(0), to = to_in.value_or(INT64_MAX);
  return deps_.db->read([&](soci::session& s) {
    AccuracyStats all;
    json::array by_type;
    {
      std::string type;
      long long issued = 0, corrected = 0;
      soci::statement st = (s.prepare << "SELECT type, COUNT(*), SUM(CASE WHEN replaced_by IS NULL THEN 0 ELSE 1 END) "
                                         "FROM documents WHERE issued_at >= :f AND issued_at < :t GROUP BY type ORDER BY type",
                            soci::use(from), soci::use(to), soci::into(type), soci::into(issued), soci::into(corrected));
      st.execute();
      while (st.fetch()) {
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
    }
    // Each correction with its reason, so every miss is visible (B5).
    json::array corrections;
    {
      std::string number, new_number, reason, by, type;
      long long at = 0;
      soci::indicator by_ind;
      soci::statement st =
          (s.prepare << "SELECT d.number, n.number, d.revoked_reason, rb.name, d.revoked_at, d.type FROM documents d "
                        "JOIN documents n ON n.id = d.replaced_by LEFT JOIN users rb ON rb.id = d.revoked_by "
                        "WHERE d.issued_at >= :f AND d.issued_at < :t ORDER BY d.revoked_at DESC LIMIT 100",
           soci::use(from), soci::use(to), soci::into(number), soci::into(new_number), soci::into(reason),
           soci::into(by, by_ind), soci::into(at), soci::into(type));
      st.execute();
      while (st.fetch())
        corrections.push_back(json::object{{"number", number},
                                           {"replaced_by_number", new_number},
                                           {"type_name", type_name(type, c.english)},
                                           {"reason", reason},
                                           {"corrected_by", by_ind == soci::i_null ? json::value(nullptr) : json::value(by)},
                                           {"corrected_at", iso8601_utc(at)}});
    }
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
    long long id = 0;
    s << "SELECT user_id FROM students WHERE student_no = :n", soci::use(student_no), soci::into(id);
    if (!s.got_data()) throw not_found("student_not_found", {"找不到该学号的学生", "No student with this number"});
    StudentRecord r = load_student(s, id);
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
  if (code) d = deps_.db->read([&](soci::session& s) { return find_where(s, " WHERE d.verify_code = :v", *code, 0, true); });
  // A valid code is answered even when its address is over the limit: many
  // people share a campus address, and the code is too long to guess, so the
  // limit only has to stop the guessing (failures), never a genuine check.
  if (!d) {
    if (Millis wait = verify_limiter_.retry_after_ms(address, now); wait > 0) {
      if (retry_after_s) *retry_after_s = (wait + 999) / 1000;
      throw ApiError(429, "too_many_attempts",
                     {"核验失败次数过多，请稍后再试",
                      "Too many failed verifications; please try again later"});
    }
    verify_limiter_.record_failure(address, now);
    throw not_found("not_authentic", {"未找到该验证码对应的文件，文件可能不是本大厅开具的",
                                      "No document has this verification code; it may not have been issued by the hall"});
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
