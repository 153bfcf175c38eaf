// All SQL of the courtesy capability (issue #12 §3): the phrases (B1) and the
// blocked attempts.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "courtesy/model.hpp"

namespace hall::courtesy::store {

struct PhraseRow {
  long long id = 0, created = 0, updated = 0;
  std::string label, pattern, suggestion, clause, note;
  int active = 1;
  std::optional<std::string> updated_by;  // the editor's name
};

struct AttemptRow {
  long long id = 0;
  Millis at = 0;
  std::optional<long long> user_id;
  std::string login, name, role, source, context, text, matches, address;
};

struct AttemptFilter {
  std::optional<std::int64_t> user_id;
  std::string login, context, source, text;
  std::optional<Millis> from_ms, to_ms;
  int page = 1, page_size = 20;
};

// The shipped phrases are filled in once per database (settings 'courtesy.seeded';
// settings is the platform's key/value table).
bool seeded(soci::session& s);
void mark_seeded(soci::session& s, const std::string& at);
bool pattern_exists(soci::session& s, const std::string& pattern);
void insert_builtin(soci::session& s, const Phrase& p, const std::string& clause, const std::string& note, Millis now);

// The active phrases, by id (what the matcher compiles).
std::vector<Phrase> active_phrases(soci::session& s);
std::vector<PhraseRow> phrases(soci::session& s, const std::string& text, std::optional<bool> active);
std::optional<PhraseRow> find_phrase(soci::session& s, long long id);
long long insert_phrase(soci::session& s, const PhraseRow& r, long long by, Millis now);
void update_phrase(soci::session& s, const PhraseRow& r, long long by, Millis now);
void delete_phrase(soci::session& s, long long id);

void insert_attempt(soci::session& s, const AttemptRow& a);
// One page of attempts, newest first, and the total that match.
std::vector<AttemptRow> attempts(soci::session& s, const AttemptFilter& q, long long& total);

}  // namespace hall::courtesy::store
