// The document registry (B5): issue from templates, read, print (PDF), correct
// (revoke + reissue, counted against accuracy), accuracy statistics, and the
// public verification of a code (rate-limited per address).
//
// Who sees what: staff with documents.issue issue, correct and search every
// document; a student reads their own (another student's is 404, as if it did
// not exist); the public verification reveals only authenticity, status, type,
// number, issue date, issuing unit and the subject's masked name (王*明) — the
// masked name lets a verifier tell that the code belongs to the paper in front
// of them without the page disclosing who holds which document.
#pragma once

#include "documents/module.hpp"

#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "auth/rate_limit.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "documents/model.hpp"
#include "documents/templates.hpp"

namespace hall::documents {

struct Document {
  std::int64_t id = 0;
  std::string type, number, code;
  std::int64_t student_id = 0;
  std::string student_name, student_no;
  std::optional<std::int64_t> issued_by;
  std::string issuer_name, issuer_unit;
  Millis issued_at = 0;
  json::object content;
  std::string status = "valid";  // valid / revoked
  std::optional<Millis> revoked_at;
  std::string revoked_reason, revoked_by_name;
  std::optional<std::int64_t> replaced_by, replaces;
  std::string ref_type;
  std::optional<std::int64_t> ref_id;
};

// What another capability issues inside its own transaction.
struct IssueSpec {
  std::string type;
  std::int64_t student_id = 0;
  json::object content;  // the type's fields, built by the server from the records
  std::string ref_type;  // e.g. "case"
  std::optional<std::int64_t> ref_id;
  bool demo = false;
  std::string code;  // demo data only: a fixed verification code
};

struct ListQuery {
  std::optional<std::int64_t> student_id;
  std::string student_no, type, status, text;
  std::optional<Millis> from_ms, to_ms;
  int page = 1, page_size = 20;
};

// POST /documents: {"type", "student_id", "fields":{…}}; the fields are the
// type's own (DocumentType::client_fields), checked when the document is filled.
struct IssueInput {
  std::string type;
  std::int64_t student_id = 0;
  json::object fields;
};
// POST /documents/{id}/correct: {"reason", "fields"?}.
struct CorrectInput {
  std::string reason;
  json::object fields;
};

class DocumentService {
 public:
  explicit DocumentService(Deps& deps);

  // POST /documents: {"type", "student_id", "fields":{…}} (documents.issue).
  json::object issue(const auth::Caller& c, const IssueInput& in);
  // POST /documents/{id}/correct: {"reason", "fields"?} (documents.issue).
  json::object correct(const auth::Caller& c, std::int64_t id, const CorrectInput& in);
  json::object get(const auth::Caller& c, std::int64_t id);
  // The PDF of a document the caller may read; *file_name: "HUT-ZM-2026-000123.pdf".
  std::string pdf(const auth::Caller& c, std::int64_t id, const std::string& base_url, std::string* file_name);
  json::object list(const auth::Caller& c, const ListQuery& q);
  json::object mine(const auth::Caller& c, int page, int page_size);
  // Accuracy (B5) of documents issued in [from, to).
  json::object stats(const auth::Caller& c, std::optional<Millis> from, std::optional<Millis> to);
  // The subject as the document would show it, by 学号 (documents.issue).
  json::object subject(const auth::Caller& c, const std::string& student_no);
  json::object types(const auth::Caller& c, bool english);
  // Public: 404 not_authentic for unknown codes; 429 after too many failures from one address
  // (the client address, see http/client_address.hpp); a valid code is answered even then.
  json::object verify(const std::string& code, const std::string& address, std::int64_t* retry_after_s);

  // --- for other capabilities, inside their write transaction -----------------------
  Document issue_in(soci::session& tx, const auth::Caller& c, const IssueSpec& spec);
  // Revokes a valid document and issues its replacement with new_content (the type's fields).
  Document correct_in(soci::session& tx, const auth::Caller& c, std::int64_t id, const std::string& reason,
                      const json::object& new_content);
  std::optional<Document> find(soci::session& s, std::int64_t id);
  std::string render(const Document& d, const std::string& base_url) const;

 private:
  json::object fill(soci::session& tx, const auth::Caller& c, const DocumentType& t, std::int64_t student_id,
                    const json::object* fields, const json::object* original, const std::string& fields_name);
  Document read_for(const auth::Caller& c, std::int64_t id);
  void require_issuing_unit(soci::session& tx, const auth::Caller& c, const Document& d);
  Deps& deps_;
  auth::AttemptLimiter verify_limiter_;  // failed verifications per address
};

json::object to_json(const Document& d, bool english, bool with_content);

// The registry's writes without a service (demo seeding); the service methods above call these.
// fallback_hall_name: used when the database has no hall yet.
Document insert_document(soci::session& tx, const auth::Caller& c, const IssueSpec& spec,
                         std::optional<std::int64_t> replaces, const std::string& fallback_hall_name,
                         int utc_offset_minutes);
Document correct_document(soci::session& tx, const auth::Caller& c, std::int64_t id, const std::string& reason,
                          const json::object& new_content, const std::string& fallback_hall_name,
                          int utc_offset_minutes);

}  // namespace hall::documents
