#include "feedback/model.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hall::feedback {

const std::vector<std::string>& kinds() {
  static const std::vector<std::string> v = {"complaint", "suggestion", "praise"};
  return v;
}
const std::vector<std::string>& categories() {
  static const std::vector<std::string> v = {"teaching", "logistics", "hall", "departments",
                                             "other"};
  return v;
}
const std::vector<std::string>& channels() {
  static const std::vector<std::string> v = {"window", "phone", "wechat", "web"};
  return v;
}
bool is_one_of(const std::vector<std::string>& set, std::string_view v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

std::optional<std::string> next_status(std::string_view status, Action a, bool disputed) {
  switch (a) {
    case Action::assign:
      if (status == "received" || status == "assigned" || status == "investigating")
        return "assigned";
      return std::nullopt;
    case Action::start:
      if (status == "assigned") return "investigating";
      return std::nullopt;
    case Action::answer:
      if (status == "assigned" || status == "investigating") return "answered";
      return std::nullopt;
    case Action::accept:
      if (status == "answered") return "closed";
      return std::nullopt;
    case Action::dispute:
      if (status == "answered" && !disputed) return "investigating";
      return std::nullopt;
    case Action::close:
      // After the escalated second answer the teacher may close it; an answered item is otherwise
      // closed by the student.
      if (status == "answered" && disputed) return "closed";
      return std::nullopt;
  }
  return std::nullopt;
}

std::string deadline_state(std::string_view status, long long now_ms, long long ack_due,
                           long long feedback_due) {
  if (status == "answered" || status == "closed") return "";
  long long due = status == "received" ? std::min(ack_due, feedback_due) : feedback_due;
  if (now_ms > due) return "overdue";
  if (due - now_ms <= 24LL * 3600 * 1000) return "due_soon";
  return "";
}

MissedDeadlines missed_deadlines(std::string_view status, long long now_ms, long long ack_due,
                                 long long feedback_due) {
  MissedDeadlines m;
  if (status == "answered" || status == "closed") return m;
  m.ack = status == "received" && now_ms > ack_due;
  m.feedback = now_ms > feedback_due;
  return m;
}

std::string tracking_number(std::string_view kind, std::string_view date, std::uint64_t random50) {
  char letter = kind == "complaint" ? 'T' : kind == "suggestion" ? 'J' : 'B';
  std::string d;
  for (char c : date)
    if (c != '-') d += c;
  std::string secret(kTrackingSecretLength, kTrackingAlphabet[0]);
  for (std::size_t i = kTrackingSecretLength; i-- > 0;) {
    secret[i] = kTrackingAlphabet[random50 % kTrackingAlphabet.size()];
    random50 /= kTrackingAlphabet.size();
  }
  return fmt::format("{}{}-{}", letter, d, secret);
}

std::string normalize_tracking_no(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out += c;
  }
  return out;
}

std::string sniff_attachment(std::string_view b) {
  auto starts = [&](std::string_view m) {
    return b.size() >= m.size() && b.substr(0, m.size()) == m;
  };
  if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts("\xff\xd8\xff")) return "image/jpeg";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (b.size() >= 12 && starts("RIFF") && b.substr(8, 4) == "WEBP") return "image/webp";
  if (starts("%PDF-")) return "application/pdf";
  return "";
}

namespace {
std::string trim(std::string_view s) {
  auto is_space = [](std::string_view t, std::size_t i, std::size_t* len) {
    if (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r') return *len = 1, true;
    if (t.substr(i, 3) == "\xe3\x80\x80") return *len = 3, true;  // U+3000 ideographic space
    return false;
  };
  std::size_t len = 0;
  while (!s.empty() && is_space(s, 0, &len)) s.remove_prefix(len);
  for (;;) {
    if (!s.empty() &&
        (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && s.substr(s.size() - 3) == "\xe3\x80\x80") {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return std::string(s);
}
std::string after(std::string_view s, std::string_view keyword) {
  s.remove_prefix(keyword.size());
  // Separators people type after the keyword: ：:，, and spaces.
  for (;;) {
    if (!s.empty() && (s[0] == ':' || s[0] == ',' || s[0] == ' ')) {
      s.remove_prefix(1);
    } else if (s.substr(0, 3) == "\xef\xbc\x9a" || s.substr(0, 3) == "\xef\xbc\x8c" ||
               s.substr(0, 3) == "\xe3\x80\x80") {
      s.remove_prefix(3);  // ：，and the ideographic space
    } else {
      break;
    }
  }
  return trim(s);
}
}  // namespace

WechatIntent classify_wechat_text(std::string_view content) {
  std::string t = trim(content);
  std::string_view s = t;
  if (s.rfind("投诉", 0) == 0) return {WechatIntent::complaint, after(s, "投诉")};
  if (s.rfind("建议", 0) == 0) return {WechatIntent::suggestion, after(s, "建议")};
  if (s.rfind("查询", 0) == 0) return {WechatIntent::query, after(s, "查询")};
  if (s.rfind("绑定", 0) == 0) return {WechatIntent::bind, after(s, "绑定")};
  return {WechatIntent::help, t};
}

}  // namespace hall::feedback

namespace hall::feedback {

const std::vector<std::string>& rating_levels() {
  static const std::vector<std::string> v = {"非常满意", "满意", "基本满意", "不满意",
                                             "非常不满意"};
  return v;
}
const std::vector<std::string>& rating_tags() {
  static const std::vector<std::string> v = {"efficiency", "attitude", "guidance", "convenience"};
  return v;
}
std::optional<double> satisfaction_rate(long long top_three, long long total) {
  if (total <= 0) return std::nullopt;
  return static_cast<double>(top_three) / static_cast<double>(total);
}

std::optional<RatingRefusal> rating_refusal(bool finished, long long finished_at_ms,
                                            long long now_ms, bool pad) {
  if (!finished) return RatingRefusal::not_finished;
  long long window = pad ? kPadRatingMinutes * 60LL * 1000 : kPortalRatingDays * 24LL * 3600 * 1000;
  if (now_ms - finished_at_ms > window) return RatingRefusal::closed;
  return std::nullopt;
}

}  // namespace hall::feedback
