#include "courtesy/demo.hpp"

#include "core/json.hpp"
#include "courtesy/model.hpp"
#include "courtesy/phrases.hpp"

namespace hall::courtesy {

void seed_demo(soci::session& s, long long now) {
  std::vector<Phrase> phrases;
  for (const auto& b : builtin_phrases()) phrases.push_back(b.phrase);
  Matcher m(phrases);
  struct Row {
    const char *login, *context, *text;
    long long minutes_ago;
  } rows[] = {
      {"staff02", "cases.reply", "这事我们不管，你去找你们领导吧", 26 * 60},
      {"staff03", "cases.notice", "要下班了，明天再来交材料", 3 * 60},
  };
  for (const auto& r : rows) {
    long long uid = 0;
    std::string name, role, login = r.login;
    s << "SELECT id, name, role FROM users WHERE login = :l", soci::use(login), soci::into(uid), soci::into(name),
        soci::into(role);
    if (!s.got_data()) continue;
    CheckResult c = m.check(r.text);
    json::array ms;
    for (const auto& x : c.matches)
      ms.push_back(json::object{{"phrase_id", nullptr}, {"phrase", x.phrase}, {"start", x.start}, {"end", x.end}, {"text", x.text}});
    std::string matches = json::serialize(ms), context = r.context, text = r.text, source = "enforce",
                address = "127.0.0.1";
    long long at = now - r.minutes_ago * 60 * 1000;
    s << "INSERT INTO courtesy_attempts (at, user_id, login, name, role, source, context, text, matches, address) "
         "VALUES (:at, :u, :l, :n, :r, :s, :c, :t, :m, :a)",
        soci::use(at), soci::use(uid), soci::use(login), soci::use(name), soci::use(role), soci::use(source),
        soci::use(context), soci::use(text), soci::use(matches), soci::use(address);
  }
}

}  // namespace hall::courtesy
