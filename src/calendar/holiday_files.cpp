// Reading holiday schedules: the holiday-cn JSON files and iCalendar (.ics)
// files the administrators import (the rest of the calendar model is model.cpp).
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "calendar/errors.hpp"
#include "calendar/model.hpp"
#include "calendar/text_util.hpp"

namespace hall::calendar {

namespace json = boost::json;

namespace {

using detail::all_digits;
using detail::to_int;

std::string trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string upper(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return r;
}

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

}  // namespace

// ---------------------------------------------------------------------------
// holiday-cn JSON

HolidayData load_holiday_cn_json(std::string_view text) {
  auto fail = [](std::string zh, std::string en, std::string field = {}) {
    return errors::invalid_holiday_file.with(std::move(field), Text{std::move(zh), std::move(en)});
  };
  boost::system::error_code ec;
  json::value root = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) throw fail("不是合法的 JSON", "not valid JSON (" + ec.message() + ")");
  const auto* obj = root.if_object();
  if (!obj) throw fail("顶层应为对象", "the top level must be an object");
  const auto* year = obj->if_contains("year");
  if (!year || !year->is_int64() || year->as_int64() < 1000 || year->as_int64() > 9999)
    throw fail("缺少有效的 year", "missing or invalid \"year\"", "year");
  const auto* days = obj->if_contains("days");
  if (!days || !days->is_array()) throw fail("缺少 days 数组", "missing \"days\" array", "days");

  HolidayData out;
  out.years.insert(static_cast<int>(year->as_int64()));
  std::size_t i = 0;
  for (const auto& v : days->as_array()) {
    std::string where = "days[" + std::to_string(i++) + "]";
    const auto* e = v.if_object();
    const json::value* name = e ? e->if_contains("name") : nullptr;
    const json::value* date = e ? e->if_contains("date") : nullptr;
    const json::value* off = e ? e->if_contains("isOffDay") : nullptr;
    if (!name || !name->is_string() || !date || !date->is_string() || !off || !off->is_bool())
      throw fail(where + " 应含 name、date、isOffDay", where + " needs name, date and isOffDay",
                 where);
    const auto& ds = date->as_string();
    out.days.push_back({Date::parse(std::string_view(ds.data(), ds.size()), where + ".date"),
                        std::string(name->as_string()), off->as_bool()});
  }
  return out;
}

// ---------------------------------------------------------------------------
// iCalendar

namespace {

struct IcsProperty {
  std::string name;    // upper case
  std::string params;  // upper case, ";VALUE=DATE…"
  std::string value;
};

// RFC 5545 3.1: lines end in CRLF (we accept LF); a line starting with a space
// or tab continues the previous one.
std::vector<std::string> unfold(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<std::string> lines;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !lines.empty())
      lines.back().append(line.substr(1));
    else if (!line.empty())
      lines.emplace_back(line);
  }
  return lines;
}

IcsProperty split_property(const std::string& line) {
  bool quoted = false;
  std::size_t colon = std::string::npos, semi = std::string::npos;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (quoted) continue;
    if (line[i] == ';' && semi == std::string::npos) semi = i;
    if (line[i] == ':') {
      colon = i;
      break;
    }
  }
  if (colon == std::string::npos) return {upper(line), {}, {}};
  std::size_t name_end = std::min(colon, semi);
  return {upper(line.substr(0, name_end)), upper(line.substr(name_end, colon - name_end)),
          line.substr(colon + 1)};
}

std::string unescape_text(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      char c = v[++i];
      out += (c == 'n' || c == 'N') ? '\n' : c;
    } else {
      out += v[i];
    }
  }
  return out;
}

ApiError invalid_ics(const std::string& zh, const std::string& en) {
  return errors::invalid_ics.with("ics", Text{zh, en});
}

Date ics_date(const IcsProperty& p) {
  std::string_view v = p.value;
  if (v.size() > 8 && v[8] == 'T') {
    if (v.back() == 'Z')
      throw invalid_ics(p.name + " 应为全天日期(VALUE=DATE),不接受 UTC 时间",
                        p.name + " must be an all-day date (VALUE=DATE), not a UTC time");
    v = v.substr(0, 8);  // floating or TZID local date-time: its local date
  }
  if (v.size() != 8 || !all_digits(v))
    throw invalid_ics(p.name + " 日期格式错误:" + p.value, "bad " + p.name + " date: " + p.value);
  try {
    return Date::from_ymd(to_int(v.substr(0, 4)), to_int(v.substr(4, 2)), to_int(v.substr(6, 2)));
  } catch (const ApiError&) {
    throw invalid_ics(p.name + " 日期不存在:" + p.value, "no such " + p.name + " date: " + p.value);
  }
}

// Strips trailing markers from a SUMMARY to get the holiday's name.
std::string holiday_name(std::string s) {
  static constexpr std::string_view kMarkers[] = {"放假调休", "放假", "调休", "补班",   "上班",
                                                  "假期",     "休息", "(休)", "（休）", "(班)",
                                                  "（班）",   "[休]", "[班]"};
  for (bool again = true; again;) {
    again = false;
    s = trim(s);
    for (auto m : kMarkers) {
      if (s.size() > m.size() && std::string_view(s).ends_with(m)) {
        s.resize(s.size() - m.size());
        again = true;
      }
    }
  }
  return s;
}

struct IcsEvent {
  std::optional<IcsProperty> start, end;
  std::string summary, categories, workday_flag, status, duration;
  bool recurring = false;
};

void add_event(const IcsEvent& ev, HolidayData& out) {
  if (ev.status == "CANCELLED") return;
  if (!ev.start) throw invalid_ics("事件缺少 DTSTART", "an event has no DTSTART");
  if (ev.recurring)
    throw invalid_ics("不支持重复事件(RRULE):" + ev.summary,
                      "recurring events (RRULE) are not supported: " + ev.summary);
  Date first = ics_date(*ev.start);
  Date end = first.add_days(1);  // exclusive
  if (ev.end) {
    end = ics_date(*ev.end);
  } else if (!ev.duration.empty()) {
    std::string_view d = ev.duration;
    if (d.size() < 3 || d.front() != 'P' || d.back() != 'D' ||
        !all_digits(d.substr(1, d.size() - 2)))
      throw invalid_ics("只支持按天的 DURATION:" + ev.duration,
                        "only whole-day DURATION is supported: " + ev.duration);
    end = first.add_days(to_int(d.substr(1, d.size() - 2)));
  }
  if (end <= first || end - first > 366)
    throw invalid_ics("事件的结束日期应晚于开始日期:" + ev.summary,
                      "event end must be after its start: " + ev.summary);

  // The convention documented in model.hpp.
  bool working;
  std::string cats = upper(ev.categories);
  std::string without_swap = ev.summary;
  for (auto pos = without_swap.find("调休"); pos != std::string::npos;
       pos = without_swap.find("调休"))
    without_swap.erase(pos, std::string_view("调休").size());
  if (ev.workday_flag == "TRUE" || ev.workday_flag == "FALSE") {
    working = ev.workday_flag == "TRUE";
  } else if (contains(ev.summary, "班")) {
    working = true;
  } else if (contains(cats, "BUSINESS DAY") || contains(cats, "工作日") || contains(cats, "班")) {
    working = true;
  } else if (contains(ev.summary, "调休") && !contains(without_swap, "休") &&
             !contains(without_swap, "假") && cats.empty()) {
    throw invalid_ics(
        "“" + ev.summary + "”无法判断是放假还是补班,请加 X-HALL-WORKDAY:TRUE 或 FALSE",
        "cannot tell whether \"" + ev.summary +
            "\" is a day off or a working day; add X-HALL-WORKDAY:TRUE or FALSE");
  } else {
    working = false;
  }
  std::string name = holiday_name(ev.summary);
  for (Date d = first; d < end; d = d.add_days(1)) out.days.push_back({d, name, !working});
}

}  // namespace

HolidayData parse_ics(std::string_view text, std::set<int> covered_years) {
  auto lines = unfold(text);
  if (lines.empty() || upper(lines.front()) != "BEGIN:VCALENDAR")
    throw invalid_ics("应以 BEGIN:VCALENDAR 开头", "must start with BEGIN:VCALENDAR");
  HolidayData out;
  std::set<int> declared;
  std::optional<IcsEvent> ev;
  int depth = 0;  // nested components inside a VEVENT (VALARM)
  bool ended = false;
  for (const auto& line : lines) {
    IcsProperty p = split_property(line);
    std::string value_upper = upper(trim(p.value));
    if (p.name == "BEGIN") {
      if (value_upper == "VEVENT" && !ev) {
        ev.emplace();
      } else if (ev) {
        ++depth;
      }
      continue;
    }
    if (p.name == "END") {
      if (ev && depth > 0) {
        --depth;
      } else if (ev && value_upper == "VEVENT") {
        add_event(*ev, out);
        ev.reset();
      } else if (value_upper == "VCALENDAR") {
        ended = true;
      }
      continue;
    }
    if (!ev) {
      if (p.name == "X-HALL-COVERS") {
        std::string_view v = p.value;
        while (!v.empty()) {
          auto comma = v.find(',');
          std::string y = trim(v.substr(0, comma));
          if (y.size() != 4 || !all_digits(y))
            throw invalid_ics("X-HALL-COVERS 应为年份列表", "X-HALL-COVERS must list years");
          declared.insert(to_int(y));
          v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
        }
      }
      continue;
    }
    if (depth > 0) continue;
    if (p.name == "DTSTART")
      ev->start = p;
    else if (p.name == "DTEND")
      ev->end = p;
    else if (p.name == "DURATION")
      ev->duration = value_upper;
    else if (p.name == "SUMMARY")
      ev->summary = trim(unescape_text(p.value));
    else if (p.name == "CATEGORIES")
      ev->categories += unescape_text(p.value) + ",";
    else if (p.name == "X-HALL-WORKDAY")
      ev->workday_flag = value_upper;
    else if (p.name == "STATUS")
      ev->status = value_upper;
    else if (p.name == "RRULE" || p.name == "RDATE")
      ev->recurring = true;
  }
  if (ev || !ended) throw invalid_ics("文件不完整(缺少 END)", "truncated file (missing END)");

  if (!covered_years.empty()) {
    out.years = std::move(covered_years);
  } else if (!declared.empty()) {
    out.years = std::move(declared);
  } else {
    for (const auto& e : out.days)
      if (e.date.month() != 12) out.years.insert(e.date.year());
  }
  return out;
}

}  // namespace hall::calendar
