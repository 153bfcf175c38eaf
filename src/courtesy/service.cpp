#include "courtesy/errors.hpp"
#include "courtesy/service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "courtesy/phrases.hpp"
#include "courtesy/store.hpp"
#include "db/database.hpp"

namespace hall::courtesy {

namespace {

constexpr std::size_t kMaxStoredText = 5000;

ApiError blocked_error(const CheckResult& r, std::string field) {
  const Match& m = r.matches.front();
  return errors::discourteous_text.with(std::move(field), m.phrase, m.suggestion);
}

ApiError phrase_not_found() { return errors::phrase_not_found(); }

using store::PhraseRow;

json::object phrase_json(const PhraseRow& r) {
  return json::object{{"id", r.id},
                      {"label", r.label},
                      {"pattern", r.pattern},
                      {"suggestion", r.suggestion},
                      {"clause", r.clause},
                      {"note", r.note},
                      {"active", r.active != 0},
                      {"created_at", iso8601_utc(r.created)},
                      {"updated_at", iso8601_utc(r.updated)},
                      {"updated_by", r.updated_by ? json::value(*r.updated_by) : json::value(nullptr)}};
}

// The pattern, checked: 400 invalid_pattern naming the position.
void check_pattern(const std::string& pattern) {
  try {
    parse_pattern(pattern);
  } catch (const PatternError& e) {
    throw errors::invalid_pattern.with("pattern", e.position() + 1, e.zh(), std::string(e.what()));
  }
}

std::string clip(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0, i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) break;
      ++chars;
    }
  }
  return std::string(text.substr(0, i));
}

}  // namespace

// --- errors ---------------------------------------------------------------------

DiscourteousText::DiscourteousText(CheckResult result, std::string field)
    : ApiError(blocked_error(result, std::move(field))), result_(std::move(result)) {}

json::array matches_json(const CheckResult& r) {
  json::array out;
  for (const auto& m : r.matches)
    out.push_back(json::object{{"phrase_id", m.phrase_id},
                               {"phrase", m.phrase},
                               {"start", m.start},
                               {"end", m.end},
                               {"text", m.text},
                               {"suggestion", m.suggestion}});
  return out;
}

json::object to_json(const CheckResult& r) {
  return json::object{{"ok", r.ok},
                      {"matches", matches_json(r)},
                      {"suggestion", r.ok ? json::value(nullptr) : json::value(r.suggestion)},
                      {"suggested_text", r.ok ? json::value(nullptr) : json::value(r.suggested_text)}};
}

http::Response blocked_response(const DiscourteousText& e, bool english) {
  json::object err{{"code", e.code()}, {"message", e.message().in(english)}};
  if (!e.field().empty()) err["field"] = e.field();
  err["matches"] = matches_json(e.result());
  err["suggestion"] = e.result().suggestion;
  err["suggested_text"] = e.result().suggested_text;
  return http::Response::json(json::object{{"error", err}}, e.status());
}

http::Handler with_blocked_details(http::Handler h) {
  return [h = std::move(h)](http::Request& req) -> http::Response {
    try {
      return h(req);
    } catch (const DiscourteousText& e) {
      return blocked_response(e, req.english);
    }
  };
}

// --- service ----------------------------------------------------------------------

CourtesyService::CourtesyService(db::Database& db) : db_(db) {
  db_.write([](soci::session& s) {
    if (store::seeded(s)) return;
    Millis now = Clock::now();
    for (const auto& b : builtin_phrases()) {
      if (store::pattern_exists(s, b.phrase.pattern)) continue;
      store::insert_builtin(s, b.phrase, b.clause, b.note, now);
    }
    store::mark_seeded(s, iso8601_utc(now));
  });
  recorder_ = std::thread([this] { recorder_loop(); });
}

CourtesyService::~CourtesyService() {
  {
    std::lock_guard lk(q_mu_);
    stop_ = true;
  }
  q_cv_.notify_all();
  if (recorder_.joinable()) recorder_.join();
}

std::shared_ptr<const Matcher> CourtesyService::matcher(soci::session& s) {
  // The active phrases are read on every check (a handful of rows), so every
  // instance on a shared database sees an edit at once; compiling is skipped
  // while they are unchanged.
  std::vector<Phrase> rows = store::active_phrases(s);
  std::string key;
  for (const auto& p : rows) key += fmt::format("{}\x1f{}\x1f{}\x1f{}\x1e", p.id, p.label, p.pattern, p.suggestion);
  std::lock_guard lk(cache_mu_);
  if (!cache_ || cache_key_ != key) {
    cache_ = std::make_shared<const Matcher>(std::move(rows));
    cache_key_ = std::move(key);
  }
  return cache_;
}

CheckResult CourtesyService::check_text(soci::session& s, std::string_view text) { return matcher(s)->check(text); }

CourtesyService::Attempt CourtesyService::make_attempt(const auth::Caller& caller, std::string_view source,
                                                       std::string_view text, std::string_view context,
                                                       const CheckResult& r) {
  Attempt a;
  a.at = Clock::now();
  const auth::Principal& p = caller.principal;
  if (p.is_user()) a.user_id = p.user_id;
  a.login = p.login;
  a.name = p.name;
  a.role = p.role;
  a.source = source;
  a.context = clip(context, 100);
  a.text = clip(text, kMaxStoredText);
  json::array ms;
  for (const auto& m : r.matches)
    ms.push_back(json::object{{"phrase_id", m.phrase_id}, {"phrase", m.phrase}, {"start", m.start}, {"end", m.end},
                              {"text", m.text}});
  a.matches = json::serialize(ms);
  a.address = caller.address;
  return a;
}

CheckResult CourtesyService::check(const auth::Caller& caller, std::string_view text, std::string_view context,
                                   bool attempt) {
  auth::require(caller.principal, "courtesy.check");
  CheckResult r = db_.read([&](soci::session& s) { return check_text(s, text); });
  if (!r.ok && attempt) {
    Attempt a = make_attempt(caller, "check", text, context, r);
    db_.write([&](soci::session& s) { store::insert_attempt(s, a); });
  }
  return r;
}

void CourtesyService::enforce(soci::session& tx, const auth::Caller& caller, std::string_view text,
                              std::string_view context, std::string_view field) {
  CheckResult r = check_text(tx, text);
  if (r.ok) return;
  {
    std::lock_guard lk(q_mu_);
    queue_.push_back(make_attempt(caller, "enforce", text, context, r));
  }
  q_cv_.notify_all();
  throw DiscourteousText(std::move(r), std::string(field));
}

void CourtesyService::recorder_loop() {
  std::unique_lock lk(q_mu_);
  for (;;) {
    q_cv_.wait(lk, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) {
      if (stop_) return;
      continue;
    }
    Attempt a = std::move(queue_.front());
    queue_.pop_front();
    ++in_flight_;
    lk.unlock();
    try {
      db_.write([&](soci::session& s) { store::insert_attempt(s, a); });
    } catch (const std::exception& e) {
      spdlog::error("courtesy: could not record a blocked attempt by {}: {}", a.login, e.what());
    }
    lk.lock();
    --in_flight_;
    if (queue_.empty() && in_flight_ == 0) q_idle_.notify_all();
  }
}

void CourtesyService::flush() {
  std::unique_lock lk(q_mu_);
  q_idle_.wait_for(lk, std::chrono::seconds(35), [&] { return queue_.empty() && in_flight_ == 0; });
}

// --- phrases ----------------------------------------------------------------------

json::object CourtesyService::list_phrases(const auth::Caller& c, const PhraseQuery& q) {
  auth::require(c.principal, "courtesy.check");
  auto rows = db_.read([&](soci::session& s) { return store::phrases(s, q.text, q.active); });
  json::array items;
  for (const auto& r : rows) items.push_back(phrase_json(r));
  long long total = static_cast<long long>(items.size());
  return json::object{{"items", items}, {"total", total}};
}

namespace {

json::value phrase_summary(const PhraseRow& r) {
  return json::object{{"label", r.label}, {"pattern", r.pattern}, {"suggestion", r.suggestion}, {"active", r.active != 0}};
}

ApiError duplicate_pattern() {
  return errors::duplicate_pattern("pattern");
}

}  // namespace

json::object CourtesyService::create_phrase(const auth::Caller& c, const PhraseInput& in) {
  auth::require(c.principal, "courtesy.manage");
  if (in.pattern) check_pattern(*in.pattern);
  try {
    return db_.write([&](soci::session& s) {
      PhraseRow row;
      row.label = in.label.value_or("");
      row.pattern = in.pattern.value_or("");
      row.suggestion = in.suggestion.value_or("");
      row.clause = in.clause.value_or("");
      row.note = in.note.value_or("");
      row.active = in.active.value_or(true) ? 1 : 0;
      long long id = store::insert_phrase(s, row, c.principal.user_id, Clock::now());
      PhraseRow r = *store::find_phrase(s, id);
      auth::audit(s, c, "courtesy.phrase.create", "courtesy_phrase", std::to_string(id), phrase_summary(r));
      return phrase_json(r);
    });
  } catch (const ApiError&) {
    throw;
  } catch (const std::exception& e) {
    if (db::is_unique_violation(e)) throw duplicate_pattern();
    throw;
  }
}

json::object CourtesyService::update_phrase(const auth::Caller& c, std::int64_t id_in, const PhraseInput& in) {
  auth::require(c.principal, "courtesy.manage");
  if (in.pattern) check_pattern(*in.pattern);
  try {
    return db_.write([&](soci::session& s) {
      long long id = id_in;
      auto old = store::find_phrase(s, id);
      if (!old) throw phrase_not_found();
      PhraseRow r = *old;
      if (in.label) r.label = *in.label;
      if (in.pattern) r.pattern = *in.pattern;
      if (in.suggestion) r.suggestion = *in.suggestion;
      if (in.clause) r.clause = *in.clause;
      if (in.note) r.note = *in.note;
      if (in.active) r.active = *in.active ? 1 : 0;
      store::update_phrase(s, r, c.principal.user_id, Clock::now());
      PhraseRow after = *store::find_phrase(s, id);
      auth::audit(s, c, "courtesy.phrase.update", "courtesy_phrase", std::to_string(id),
                  json::object{{"before", phrase_summary(*old)}, {"after", phrase_summary(after)}});
      return phrase_json(after);
    });
  } catch (const ApiError&) {
    throw;
  } catch (const std::exception& e) {
    if (db::is_unique_violation(e)) throw duplicate_pattern();
    throw;
  }
}

void CourtesyService::delete_phrase(const auth::Caller& c, std::int64_t id_in) {
  auth::require(c.principal, "courtesy.manage");
  db_.write([&](soci::session& s) {
    long long id = id_in;
    auto old = store::find_phrase(s, id);
    if (!old) throw phrase_not_found();
    store::delete_phrase(s, id);
    auth::audit(s, c, "courtesy.phrase.delete", "courtesy_phrase", std::to_string(id), phrase_summary(*old));
  });
}

json::object CourtesyService::try_pattern(const auth::Caller& c, const std::string& pattern, const std::string& text) {
  auth::require(c.principal, "courtesy.manage");
  check_pattern(pattern);
  Matcher m({Phrase{0, "", pattern, ""}});
  CheckResult r = m.check(text);
  json::array ms;
  for (const auto& x : r.matches) ms.push_back(json::object{{"start", x.start}, {"end", x.end}, {"text", x.text}});
  return json::object{{"valid", true}, {"matches", ms}};
}

// --- attempts ---------------------------------------------------------------------

json::object CourtesyService::list_attempts(const auth::Caller& c, const AttemptQuery& q) {
  auth::require(c.principal, "courtesy.review");
  flush();
  long long total = 0;
  auto rows = db_.read([&](soci::session& s) { return store::attempts(s, q, total); });
  json::array items;
  for (const auto& a : rows) {
    boost::system::error_code ec;
    json::value ms = json::parse(a.matches, ec);
    if (ec) ms = json::array{};
    items.push_back(json::object{{"id", a.id},
                                 {"at", iso8601_utc(a.at)},
                                 {"user_id", a.user_id ? json::value(*a.user_id) : json::value(nullptr)},
                                 {"login", a.login},
                                 {"name", a.name},
                                 {"role", a.role},
                                 {"source", a.source},
                                 {"context", a.context},
                                 {"text", a.text},
                                 {"matches", ms},
                                 {"address", a.address}});
  }
  return json::object{{"items", items}, {"total", total}, {"page", q.page}, {"page_size", q.page_size}};
}

}  // namespace hall::courtesy
