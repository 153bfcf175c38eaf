#include "cases/model.hpp"
#include "core/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cases/errors.hpp"
#include "core/json.hpp"

namespace hall::cases {

// ---------------------------------------------------------------------------
// States

namespace {
struct StatusName {
  Status s;
  const char* code;
  Text text;
};
const StatusName kStatuses[] = {
    {Status::received, "received", {"已受理登记", "Received"}},
    {Status::waiting_materials, "waiting_materials", {"待补正材料", "Waiting for materials"}},
    {Status::processing, "processing", {"办理中", "Processing"}},
    {Status::referred, "referred", {"已转介", "Referred"}},
    {Status::completed, "completed", {"已办结", "Completed"}},
    {Status::refused, "refused", {"不予受理", "Refused"}},
};
}  // namespace

std::string_view to_string(Status s) {
  for (const auto& n : kStatuses)
    if (n.s == s) return n.code;
  return "received";
}
std::optional<Status> parse_status(std::string_view s) {
  for (const auto& n : kStatuses)
    if (s == n.code) return n.s;
  return std::nullopt;
}
Text status_text(Status s) {
  for (const auto& n : kStatuses)
    if (n.s == s) return n.text;
  return {};
}
bool is_closed(Status s) { return s == Status::completed || s == Status::refused; }

std::string_view to_string(Channel c) {
  switch (c) {
    case Channel::ticket:
      return "ticket";
    case Channel::phone:
      return "phone";
    case Channel::online:
      return "online";
    case Channel::walk_in:
      return "walk_in";
  }
  return "walk_in";
}
std::optional<Channel> parse_channel(std::string_view s) {
  if (s == "ticket") return Channel::ticket;
  if (s == "phone") return Channel::phone;
  if (s == "online") return Channel::online;
  if (s == "walk_in") return Channel::walk_in;
  return std::nullopt;
}

std::string_view to_string(Action a) {
  switch (a) {
    case Action::edit:
      return "edit";
    case Action::mark:
      return "mark";
    case Action::notice:
      return "notice";
    case Action::accept:
      return "accept";
    case Action::complete:
      return "complete";
    case Action::refer:
      return "refer";
    case Action::resubmit:
      return "resubmit";
    case Action::assign:
      return "assign";
    case Action::green:
      return "green";
    case Action::unreachable:
      return "unreachable";
  }
  return "";
}

bool allowed(Action a, Status from) {
  using S = Status;
  switch (a) {
    case Action::edit:
      return from == S::received || from == S::waiting_materials;
    case Action::mark:
    case Action::notice:
    case Action::assign:
    case Action::green:
      return from == S::received || from == S::waiting_materials || from == S::processing;
    case Action::accept:
      return from == S::received;
    case Action::complete:
      return from == S::processing;
    case Action::refer:
      return from == S::received || from == S::waiting_materials;
    case Action::resubmit:
      return from == S::waiting_materials;
    case Action::unreachable:
      return from == S::referred;
  }
  return false;
}

void check_action(Action a, Status current) {
  if (allowed(a, current)) return;
  Text st = status_text(current);
  throw errors::localized(errors::invalid_case_state, "status", st);
}

// ---------------------------------------------------------------------------
// B6.2

std::string_view to_string(Mark m) {
  switch (m) {
    case Mark::provided:
      return "provided";
    case Mark::missing:
      return "missing";
    case Mark::defective:
      return "defective";
    case Mark::not_applicable:
      return "not_applicable";
  }
  return "provided";
}
std::optional<Mark> parse_mark(std::string_view s) {
  if (s == "provided") return Mark::provided;
  if (s == "missing") return Mark::missing;
  if (s == "defective") return Mark::defective;
  if (s == "not_applicable") return Mark::not_applicable;
  return std::nullopt;
}
Text mark_text(Mark m) {
  switch (m) {
    case Mark::provided:
      return {"已提交", "Provided"};
    case Mark::missing:
      return {"缺少", "Missing"};
    case Mark::defective:
      return {"需补正", "To be corrected"};
    case Mark::not_applicable:
      return {"不适用", "Not applicable"};
  }
  return {};
}

void check_mark(const MaterialMark& m, const std::string& field) {
  if (!m.mark) return;
  if (*m.mark == Mark::defective && m.correction.find_first_not_of(" \t\r\n") == std::string::npos)
    throw errors::correction_required.with(field + ".correction", m.name);
  if (*m.mark == Mark::not_applicable && m.required)
    throw errors::material_required.with(field + ".mark", m.name);
}

std::vector<std::string> unmarked(const std::vector<MaterialMark>& marks) {
  std::vector<std::string> out;
  for (const auto& m : marks)
    if (!m.mark) out.push_back(m.name);
  return out;
}

namespace {
std::string join(const std::vector<std::string>& names, const char* sep) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : sep) + n;
  return out;
}
}  // namespace

void require_all_marked(const std::vector<MaterialMark>& marks) {
  auto left = unmarked(marks);
  if (left.empty()) return;
  throw errors::localized(errors::materials_unmarked, "materials",
                          Text{join(left, "、"), join(left, ", ")});
}

void require_complete(const std::vector<MaterialMark>& marks) {
  require_all_marked(marks);
  std::vector<std::string> open;
  for (const auto& m : marks)
    if (is_requested(*m.mark)) open.push_back(m.name);
  if (open.empty()) return;
  throw errors::localized(errors::materials_incomplete, "materials",
                          Text{join(open, "、"), join(open, ", ")});
}

std::vector<BreachFinding> detect_breach(const std::vector<NoticeMaterial>& previous,
                                         const std::vector<NoticeMaterial>& next,
                                         const std::set<std::int64_t>& changed_by_student) {
  std::map<std::int64_t, Mark> before;
  for (const auto& m : previous) before[m.material_id] = m.mark;
  std::vector<BreachFinding> out;
  for (const auto& m : next) {
    if (!is_requested(m.mark) || changed_by_student.count(m.material_id)) continue;
    auto it = before.find(m.material_id);
    if (it != before.end() && is_requested(it->second)) continue;  // asked the first time already
    out.push_back(
        {m.material_id, m.name,
         it != before.end() && it->second == Mark::provided ? "was_provided" : "not_asked_before"});
  }
  return out;
}

std::string describe(const std::vector<BreachFinding>& findings, bool english) {
  std::string out;
  for (const auto& f : findings) {
    if (!out.empty()) out += english ? "; " : "；";
    if (english)
      out += f.name + (f.reason == "was_provided" ? " was marked provided before"
                                                  : " was not asked for before");
    else
      out += "“" + f.name + (f.reason == "was_provided" ? "”前次已标记为已提交" : "”前次未要求");
  }
  return out;
}

// ---------------------------------------------------------------------------
// B6.1

bool is_evasive(std::string_view value) {
  // Normalise: drop spaces and punctuation, lower-case ASCII.
  std::string v;
  for (std::size_t i = 0; i < value.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c < 0x80) {
      if (std::isalnum(c)) v += static_cast<char>(std::tolower(c));
      continue;
    }
    v += static_cast<char>(c);
  }
  for (const char* p : {"？", "。", "，", "！", "…", "、", "　"}) {
    for (std::size_t pos; (pos = v.find(p)) != std::string::npos;)
      v.erase(pos, std::string_view(p).size());
  }
  if (v.empty()) return true;
  static const char* kEvasive[] = {"不知道",    "不清楚", "不确定", "不晓得", "不了解",  "没有",
                                   "无",        "未知",   "待定",   "不详",   "unknown", "dontknow",
                                   "idontknow", "na",     "none",   "tbd",    "xx",      "xxx"};
  for (const char* e : kEvasive)
    if (v == e) return true;
  return false;
}

void check_referral(const Referral& r) {
  auto need = [](const std::string& v, const char* field, const char* zh, const char* en,
                 std::size_t max) {
    if (v.find_first_not_of(" \t\r\n") == std::string::npos)
      throw errors::referral_field_required.with(field, Text{zh, en});
    check_text(v, field, max);
    if (is_evasive(v))
      throw errors::localized(errors::referral_not_specific, field, Text{zh, en}, v);
  };
  need(r.office, "office", "负责处室", "responsible office", 100);
  need(r.handler, "handler", "具体经办人", "specific handler", 100);
  check_text(r.phone, "phone", 40, true);
  check_text(r.location, "location", 200, true);
  check_text(r.note, "note", 500, true);
}

// ---------------------------------------------------------------------------
// B6.3

Instant due_on_acceptance(const HallCalendar& cal, Instant accepted, int days) {
  Instant due = cal.deadline_after_working_days(accepted, days);
  // Accepted after closing (or on a day the hall is shut) with an immediate
  // item: before the hall closes on its next working day.
  if (due <= accepted) due = cal.deadline_after_working_days(accepted, days + 1);
  return due;
}

Instant resume_due(const HallCalendar& cal, Instant due, Instant paused, Instant resumed,
                   std::int64_t* paused_seconds) {
  std::int64_t p = resumed > paused ? cal.working_seconds_between(paused, resumed) : 0;
  if (paused_seconds) *paused_seconds = p;
  return p > 0 ? cal.add_working_seconds(due, p) : due;
}

ReplayedDue replay_due(const HallCalendar& cal, const DueFacts& f) {
  ReplayedDue r;
  r.original = r.due = due_on_acceptance(cal, f.accepted, f.days);
  r.provisional = cal.provisional_between(f.accepted, r.due);
  // Pauses (at their end) and manual settings, in the order they happened.
  std::size_t p = 0, m = 0;
  while (p < f.pauses.size() || m < f.manual.size()) {
    bool pause_first =
        m == f.manual.size() || (p < f.pauses.size() && f.pauses[p].second <= f.manual[m].first);
    if (pause_first) {
      auto [paused, resumed] = f.pauses[p++];
      std::int64_t secs = 0;
      r.due = resume_due(cal, r.due, paused, resumed, &secs);
      r.pause_seconds.push_back(secs);
      r.paused_seconds += secs;
      r.provisional = r.provisional || cal.provisional_between(paused, r.due);
    } else {
      r.due = f.manual[m++].second;
    }
  }
  return r;
}

std::string_view to_string(Warning w) {
  switch (w) {
    case Warning::none:
      return "none";
    case Warning::half:
      return "50";
    case Warning::eighty:
      return "80";
    case Warning::due:
      return "due";
  }
  return "none";
}

Warning warning_for(double fraction) {
  if (fraction >= 1.0) return Warning::due;
  if (fraction >= 0.8) return Warning::eighty;
  if (fraction >= 0.5) return Warning::half;
  return Warning::none;
}

std::vector<Warning> levels_reached(Warning w) {
  std::vector<Warning> out;
  for (Warning l : {Warning::half, Warning::eighty, Warning::due})
    if (static_cast<int>(l) <= static_cast<int>(w)) out.push_back(l);
  return out;
}

std::optional<Warning> parse_warning(std::string_view s) {
  for (Warning w : {Warning::none, Warning::half, Warning::eighty, Warning::due})
    if (to_string(w) == s) return w;
  return std::nullopt;
}

Progress progress(const HallCalendar& cal, Instant accepted, Instant due, std::int64_t paused_total,
                  std::optional<Instant> paused_at, std::optional<Instant> finished, Instant now) {
  Progress p;
  p.paused = paused_at.has_value() && !finished;
  Instant until = finished ? *finished : (paused_at ? *paused_at : now);
  p.allowed_seconds =
      std::max<std::int64_t>(0, cal.working_seconds_between(accepted, due) - paused_total);
  p.used_seconds =
      until > accepted
          ? std::max<std::int64_t>(0, cal.working_seconds_between(accepted, until) - paused_total)
          : 0;
  p.remaining_seconds = until < due ? cal.working_seconds_between(until, due)
                                    : -cal.working_seconds_between(due, until);
  if (p.allowed_seconds > 0)
    p.fraction = static_cast<double>(p.used_seconds) / static_cast<double>(p.allowed_seconds);
  else
    p.fraction = until >= due ? 1.0 : 0.0;
  p.overdue = until > due;
  p.warning = p.overdue || until >= due ? Warning::due : warning_for(p.fraction);
  return p;
}

// ---------------------------------------------------------------------------

std::string case_number(const std::string& local_date, std::int64_t id) {
  std::string d;
  for (char c : local_date)
    if (c != '-') d += c;
  return fmt::format("BJ{}-{:06d}", d, id);
}

std::string notice_number(const std::string& case_no, int seq) {
  std::string rest = case_no.size() > 2 ? case_no.substr(2) : case_no;
  return fmt::format("GZ{}-{}", rest, seq);
}

}  // namespace hall::cases
