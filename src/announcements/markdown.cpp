#include "announcements/markdown.hpp"

#include <cctype>
#include <vector>

namespace hall::announcements {

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

bool safe_url(std::string_view url) {
  if (url.empty() || url.size() > 2000) return false;
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '\\') return false;
  auto starts = [&](std::string_view p) {
    if (url.size() < p.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(url[i])) != p[i]) return false;
    return true;
  };
  if (starts("https://") || starts("http://") || starts("mailto:")) return true;
  return url.front() == '/' && (url.size() == 1 || url[1] != '/');  // same-site path, not //host
}

// Inline markup. depth bounds nesting so hostile input cannot recurse deeply.
std::string inline_md(std::string_view s, int depth = 0) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '`') {
      auto end = s.find('`', i + 1);
      if (end != std::string_view::npos && end > i + 1) {
        out += "<code>" + escape_html(s.substr(i + 1, end - i - 1)) + "</code>";
        i = end + 1;
        continue;
      }
    }
    if (depth < 4 && c == '*' && i + 1 < s.size() && s[i + 1] == '*') {
      auto end = s.find("**", i + 2);
      if (end != std::string_view::npos && end > i + 2) {
        out += "<strong>" + inline_md(s.substr(i + 2, end - i - 2), depth + 1) + "</strong>";
        i = end + 2;
        continue;
      }
    }
    if (depth < 4 && c == '*' && i + 1 < s.size() && s[i + 1] != ' ') {
      auto end = s.find(c, i + 1);
      if (end != std::string_view::npos && end > i + 1 && s[end - 1] != ' ') {
        out += "<em>" + inline_md(s.substr(i + 1, end - i - 1), depth + 1) + "</em>";
        i = end + 1;
        continue;
      }
    }
    if (depth < 4 && c == '[') {
      auto close = s.find("](", i + 1);
      auto paren = std::string_view::npos;  // the ')' matching "](", parentheses in the URL balanced
      if (close != std::string_view::npos) {
        int depth = 0;
        for (std::size_t j = close + 2; j < s.size() && s[j] != '\n'; ++j) {
          if (s[j] == '(') ++depth;
          if (s[j] == ')' && depth-- == 0) {
            paren = j;
            break;
          }
        }
      }
      if (close != std::string_view::npos && paren != std::string_view::npos &&
          s.substr(i + 1, close - i - 1).find('\n') == std::string_view::npos) {
        std::string_view label = s.substr(i + 1, close - i - 1);
        std::string url = trim(s.substr(close + 2, paren - close - 2));
        if (safe_url(url))
          out += "<a href=\"" + escape_html(url) + "\" rel=\"nofollow noopener noreferrer\">" +
                 inline_md(label, depth + 1) + "</a>";
        else
          out += inline_md(label, depth + 1);  // unsafe target: keep the words, drop the link
        i = paren + 1;
        continue;
      }
    }
    out += escape_html(s.substr(i, 1));
    ++i;
  }
  return out;
}

bool is_bullet(const std::string& l) { return l.size() >= 2 && (l[0] == '-' || l[0] == '*' || l[0] == '+') && l[1] == ' '; }

std::size_t ordered_marker(const std::string& l) {  // length of "12. " or 0
  std::size_t i = 0;
  while (i < l.size() && i < 4 && l[i] >= '0' && l[i] <= '9') ++i;
  if (i > 0 && i + 1 < l.size() && l[i] == '.' && l[i + 1] == ' ') return i + 2;
  return 0;
}

bool is_rule(const std::string& l) {
  if (l.size() < 3) return false;
  for (char c : l)
    if (c != '-' && c != '*' && c != '_') return false;
  return true;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(trim(text.substr(start, nl - start)));
    start = nl + 1;
  }
  return lines;
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_markdown(std::string_view text) {
  auto lines = lines_of(text);
  std::string out;
  std::vector<std::string> para;
  auto flush = [&] {
    if (para.empty()) return;
    out += "<p>";
    for (std::size_t i = 0; i < para.size(); ++i) out += (i ? "<br>" : "") + inline_md(para[i]);
    out += "</p>\n";
    para.clear();
  };
  std::size_t i = 0;
  while (i < lines.size()) {
    const std::string& l = lines[i];
    if (l.empty()) {
      flush();
      ++i;
    } else if (l[0] == '#') {
      std::size_t level = 0;
      while (level < l.size() && l[level] == '#') ++level;
      if (level <= 3 && level < l.size() && l[level] == ' ') {
        flush();
        std::string tag = "h" + std::to_string(level + 1);  // the page title is the h1
        out += "<" + tag + ">" + inline_md(trim(std::string_view(l).substr(level + 1))) + "</" + tag + ">\n";
      } else {
        para.push_back(l);
      }
      ++i;
    } else if (is_rule(l)) {
      flush();
      out += "<hr>\n";
      ++i;
    } else if (is_bullet(l) || ordered_marker(l)) {
      flush();
      bool ordered = ordered_marker(l) != 0;
      out += ordered ? "<ol>\n" : "<ul>\n";
      while (i < lines.size() && (ordered ? ordered_marker(lines[i]) != 0 : is_bullet(lines[i]))) {
        std::size_t skip = ordered ? ordered_marker(lines[i]) : 2;
        out += "<li>" + inline_md(std::string_view(lines[i]).substr(skip)) + "</li>\n";
        ++i;
      }
      out += ordered ? "</ol>\n" : "</ul>\n";
    } else if (l[0] == '>') {
      flush();
      out += "<blockquote>";
      bool first = true;
      while (i < lines.size() && !lines[i].empty() && lines[i][0] == '>') {
        out += (first ? "" : "<br>") + inline_md(trim(std::string_view(lines[i]).substr(1)));
        first = false;
        ++i;
      }
      out += "</blockquote>\n";
    } else {
      para.push_back(l);
      ++i;
    }
  }
  flush();
  return out;
}

std::string render_plain(std::string_view text) {
  auto lines = lines_of(text);
  std::string out, para;
  for (const auto& l : lines) {
    if (l.empty()) {
      if (!para.empty()) out += "<p>" + para + "</p>\n";
      para.clear();
    } else {
      para += (para.empty() ? "" : "<br>") + escape_html(l);
    }
  }
  if (!para.empty()) out += "<p>" + para + "</p>\n";
  return out;
}

std::string plain_excerpt(std::string_view text, std::size_t max_chars) {
  std::string flat;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !flat.empty();
      continue;
    }
    if (c == '#' || c == '*' || c == '`' || c == '>') continue;
    if (space) flat += ' ';
    space = false;
    flat += c;
  }
  // Cut at a character boundary (UTF-8 continuation bytes are 10xxxxxx).
  std::size_t chars = 0, i = 0;
  for (; i < flat.size(); ++i) {
    if ((static_cast<unsigned char>(flat[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) break;
      ++chars;
    }
  }
  if (i < flat.size()) return flat.substr(0, i) + "…";
  return flat;
}

}  // namespace hall::announcements
