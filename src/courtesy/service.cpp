#include "courtesy/service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "auth/audit.hpp"
#include "auth/permissions.hpp"
#include "courtesy/phrases.hpp"
#include "db/filter.hpp"
#include "db/optional.hpp"
#include "db/row.hpp"

namespace hall::courtesy {

namespace {

constexpr std::size_t kMaxStoredText = 5000;

Text blocked_message(const CheckResult& r) {
  const Match& m = r.matches.front();
  return {fmt::format("内容含有不文明用语“{}”，请改用文明用语，例如：“{}”", m.phrase, m.suggestion),
          fmt::format("The text contains a discourteous phrasing (“{}”); please say instead: “{}”", m.phrase,
                      m.suggestion)};
}

ApiError phrase_not_found() { return not_found("phrase_not_found", {"找不到该用语", "No such phrase"}); }

struct PhraseRow {
  long long id = 0, created = 0, updated = 0;
  std::string label, pattern, suggestion, clause, note;
  int active = 1;
  std::optional<std::string> updated_by;
};

const char* kPhraseSelect =
    "SELECT p.id, p.label, p.pattern, p.suggestion, p.clause, p.note, p.active, p.created_at, p.updated_at, u.name "
    "FROM courtesy_phrases p LEFT JOIN users u ON u.id = p.updated_by";

void bind_phrase(soci::statement& st, PhraseRow& r) {
  st.exchange(soci::into(r.id));
  st.exchange(soci::into(r.label));
  st.exchange(soci::into(r.pattern));
  st.exchange(soci::into(r.suggestion));
  st.exchange(soci::into(r.clause));
  st.exchange(soci::into(r.note));
  st.exchange(soci::into(r.active));
  st.exchange(soci::into(r.created));
  st.exchange(soci::into(r.updated));
  st.exchange(soci::into(r.updated_by));
}

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

std::optional<PhraseRow> find_phrase(soci::session& s, long long id) {
  PhraseRow r;
  soci::statement st(s);
  bind_phrase(st, r);
  st.exchange(soci::use(id, "id"));
  st.alloc();
  st.prepare(std::string(kPhraseSelect) + " WHERE p.id = :id");
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  return r;
}

// The pattern, checked: 400 invalid_pattern naming the position.
void check_pattern(const std::string& pattern) {
  try {
    parse_pattern(pattern);
  } catch (const PatternError& e) {
    throw bad_request("invalid_pattern",
                      {fmt::format("表达式有误（第 {} 个字符）：{}", e.position() + 1, e.zh()),
                       fmt::format("Invalid pattern (at character {}): {}", e.position() + 1, e.what())},
                      "pattern");
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
    : ApiError(422, "discourteous_text", blocked_message(result), std::move(field)), result_(std::move(result)) {}

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
    long long seeded = 0;
    s << "SELECT COUNT(*) FROM settings WHERE key = 'courtesy.seeded'", soci::into(seeded);
    if (seeded) return;
    long long now = Clock::now();
    for (const auto& b : builtin_phrases()) {
      long long n = 0;
      s << "SELECT COUNT(*) FROM courtesy_phrases WHERE pattern = :p", soci::use(b.phrase.pattern), soci::into(n);
      if (n) continue;
      s << "INSERT INTO courtesy_phrases (label, pattern, suggestion, clause, note, active, created_at, updated_at) "
           "VALUES (:l, :p, :s, :c, :n, 1, :t, :t2)",
          soci::use(b.phrase.label), soci::use(b.phrase.pattern), soci::use(b.phrase.suggestion), soci::use(b.clause),
          soci::use(b.note), soci::use(now), soci::use(now);
    }
    std::string at = iso8601_utc(now);
    s << "INSERT INTO settings (key, value) VALUES ('courtesy.seeded', :v)", soci::use(at);
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
  std::vector<Phrase> rows;
  std::string key;
  {
    Phrase p;
    long long id = 0;
    soci::statement st = (s.prepare << "SELECT id, label, pattern, suggestion FROM courtesy_phrases WHERE active = 1 "
                                       "ORDER BY id",
                          soci::into(id), soci::into(p.label), soci::into(p.pattern), soci::into(p.suggestion));
    st.execute();
    while (st.fetch()) {
      p.id = id;
      key += fmt::format("{}\x1f{}\x1f{}\x1f{}\x1e", id, p.label, p.pattern, p.suggestion);
      rows.push_back(p);
    }
  }
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

void CourtesyService::insert_attempt(soci::session& s, const Attempt& a) {
  long long at = a.at;
  s << "INSERT INTO courtesy_attempts (at, user_id, login, name, role, source, context, text, matches, address) "
       "VALUES (:at, :u, :l, :n, :r, :s, :c, :t, :m, :a)",
      soci::use(at), soci::use(a.user_id), soci::use(a.login), soci::use(a.name), soci::use(a.role),
      soci::use(a.source), soci::use(a.context), soci::use(a.text), soci::use(a.matches), soci::use(a.address);
}

CheckResult CourtesyService::check(const auth::Caller& caller, std::string_view text, std::string_view context,
                                   bool attempt) {
  auth::require(caller.principal, "courtesy.check");
  CheckResult r = db_.read([&](soci::session& s) { return check_text(s, text); });
  if (!r.ok && attempt) {
    Attempt a = make_attempt(caller, "check", text, context, r);
    db_.write([&](soci::session& s) { insert_attempt(s, a); });
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
      db_.write([&](soci::session& s) { insert_attempt(s, a); });
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
  return db_.read([&](soci::session& s) {
    std::string where = " WHERE 1=1";
    std::string text = "%" + q.text + "%";
    int active = q.active.value_or(true) ? 1 : 0;
    if (!q.text.empty()) where += " AND (p.label LIKE :t1 OR p.pattern LIKE :t2 OR p.suggestion LIKE :t3)";
    if (q.active) where += " AND p.active = :active";
    PhraseRow r;
    soci::statement st(s);
    bind_phrase(st, r);
    if (!q.text.empty()) {
      st.exchange(soci::use(text, "t1"));
      st.exchange(soci::use(text, "t2"));
      st.exchange(soci::use(text, "t3"));
    }
    if (q.active) st.exchange(soci::use(active, "active"));
    st.alloc();
    st.prepare(std::string(kPhraseSelect) + where + " ORDER BY p.id");
    st.define_and_bind();
    st.execute();
    json::array items;
    while (st.fetch()) items.push_back(phrase_json(r));
    long long total = static_cast<long long>(items.size());
    return json::object{{"items", items}, {"total", total}};
  });
}

namespace {

struct PhraseInput {
  std::optional<std::string> label, pattern, suggestion, clause, note;
  std::optional<bool> active;
};

PhraseInput read_phrase(const json::value& body_in, bool creating) {
  // clause and note may be cleared with "" or null.
  json::value body = body_in;
  bool clear_clause = false, clear_note = false;
  if (body.is_object()) {
    for (auto [key, flag] : {std::pair{"clause", &clear_clause}, std::pair{"note", &clear_note}}) {
      json::value* v = body.as_object().if_contains(key);
      if (v && (v->is_null() || (v->is_string() && v->as_string().empty()))) {
        *flag = true;
        *v = nullptr;
      }
    }
  }
  JsonFields f(body);
  PhraseInput in;
  auto str = [&](const char* key, std::size_t max, bool required) {
    return required ? std::optional(f.required_string(key, max)) : f.optional_string(key, max);
  };
  in.label = str("label", 60, creating);
  in.pattern = str("pattern", 200, creating);
  in.suggestion = str("suggestion", 200, creating);
  in.clause = f.optional_string("clause", 20);
  if (clear_clause) in.clause = "";
  in.note = f.optional_string("note", 500);
  if (clear_note) in.note = "";
  in.active = f.optional_bool("active");
  f.finish();
  if (in.pattern) check_pattern(*in.pattern);
  return in;
}

json::value phrase_summary(const PhraseRow& r) {
  return json::object{{"label", r.label}, {"pattern", r.pattern}, {"suggestion", r.suggestion}, {"active", r.active != 0}};
}

ApiError duplicate_pattern() {
  return conflict("duplicate_pattern", {"已有相同表达式的用语", "A phrase with this pattern already exists"}, "pattern");
}

}  // namespace

json::object CourtesyService::create_phrase(const auth::Caller& c, const json::value& body) {
  auth::require(c.principal, "courtesy.manage");
  PhraseInput in = read_phrase(body, true);
  try {
    return db_.write([&](soci::session& s) {
      long long now = Clock::now(), id = 0, by = c.principal.user_id;
      int active = in.active.value_or(true) ? 1 : 0;
      std::string clause = in.clause.value_or(""), note = in.note.value_or("");
      s << "INSERT INTO courtesy_phrases (label, pattern, suggestion, clause, note, active, created_by, updated_by, "
           "created_at, updated_at) VALUES (:l, :p, :s, :c, :n, :a, :cb, :ub, :t, :t2) RETURNING id",
          soci::use(*in.label), soci::use(*in.pattern), soci::use(*in.suggestion), soci::use(clause), soci::use(note),
          soci::use(active), soci::use(by), soci::use(by), soci::use(now), soci::use(now), soci::into(id);
      PhraseRow r = *find_phrase(s, id);
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

json::object CourtesyService::update_phrase(const auth::Caller& c, std::int64_t id_in, const json::value& body) {
  auth::require(c.principal, "courtesy.manage");
  PhraseInput in = read_phrase(body, false);
  try {
    return db_.write([&](soci::session& s) {
      long long id = id_in;
      auto old = find_phrase(s, id);
      if (!old) throw phrase_not_found();
      PhraseRow r = *old;
      if (in.label) r.label = *in.label;
      if (in.pattern) r.pattern = *in.pattern;
      if (in.suggestion) r.suggestion = *in.suggestion;
      if (in.clause) r.clause = *in.clause;
      if (in.note) r.note = *in.note;
      if (in.active) r.active = *in.active ? 1 : 0;
      long long now = Clock::now(), by = c.principal.user_id;
      s << "UPDATE courtesy_phrases SET label = :l, pattern = :p, suggestion = :s, clause = :c, note = :n, active = :a, "
           "updated_by = :ub, updated_at = :t WHERE id = :id",
          soci::use(r.label), soci::use(r.pattern), soci::use(r.suggestion), soci::use(r.clause), soci::use(r.note),
          soci::use(r.active), soci::use(by), soci::use(now), soci::use(id);
      PhraseRow after = *find_phrase(s, id);
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
    auto old = find_phrase(s, id);
    if (!old) throw phrase_not_found();
    s << "DELETE FROM courtesy_phrases WHERE id = :id", soci::use(id);
    auth::audit(s, c, "courtesy.phrase.delete", "courtesy_phrase", std::to_string(id), phrase_summary(*old));
  });
}

json::object CourtesyService::try_pattern(const auth::Caller& c, const json::value& body) {
  auth::require(c.principal, "courtesy.manage");
  JsonFields f(body);
  std::string pattern = f.required_string("pattern", 200);
  std::string text = f.required_string("text", kMaxStoredText);
  f.finish();
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
  return db_.read([&](soci::session& s) {
    std::string text = "%" + q.text + "%";
    db::Filter f;
    f.add(q.user_id.has_value(), "user_id = :user", {static_cast<long long>(q.user_id.value_or(0))})
        .add(!q.login.empty(), "login = :login", {q.login})
        .add(!q.context.empty(), "context = :context", {q.context})
        .add(!q.source.empty(), "source = :source", {q.source})
        .add(!q.text.empty(), "text LIKE :t1 OR matches LIKE :t2 OR name LIKE :t3", {text, text, text})
        .add(q.from_ms.has_value(), "at >= :from", {static_cast<long long>(q.from_ms.value_or(0))})
        .add(q.to_ms.has_value(), "at < :to", {static_cast<long long>(q.to_ms.value_or(0))});
    long long total = f.count(s, "FROM courtesy_attempts");
    json::array items;
    f.page(s, "SELECT id, at, user_id, login, name, role, source, context, text, matches, address FROM courtesy_attempts",
           "at DESC, id DESC", q.page, q.page_size, [&](const soci::row& r) {
             boost::system::error_code ec;
             json::value ms = json::parse(db::col_str(r, 9), ec);
             if (ec) ms = json::array{};
             auto user_id = db::col_opt_i64(r, 2);
             items.push_back(json::object{{"id", db::col_i64(r, 0)},
                                          {"at", iso8601_utc(db::col_i64(r, 1))},
                                          {"user_id", user_id ? json::value(*user_id) : json::value(nullptr)},
                                          {"login", db::col_str(r, 3)},
                                          {"name", db::col_str(r, 4)},
                                          {"role", db::col_str(r, 5)},
                                          {"source", db::col_str(r, 6)},
                                          {"context", db::col_str(r, 7)},
                                          {"text", db::col_str(r, 8)},
                                          {"matches", ms},
                                          {"address", db::col_str(r, 10)}});
           });
    return json::object{{"items", items}, {"total", total}, {"page", q.page}, {"page_size", q.page_size}};
  });
}

}  // namespace hall::courtesy
