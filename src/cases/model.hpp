// Cases (办件): one matter a student brings to the hall. Pure types and rules,
// no I/O; the working-day arithmetic comes from calendar/model.hpp (pure too).
//
//   B6.1 首问责任制  — the first responder is recorded once and never changes; a
//                      matter outside the hall's remit is referred to a named
//                      office AND a named handler ("I don't know" is refused);
//                      when the student could not reach them, the first
//                      responder follows up within one working day.
//   B6.2 一次性告知制 — every material of the case's item version is marked before
//                      the notice can be issued; a later notice that asks for a
//                      material already marked provided (or not asked the first
//                      time) while the student changed nothing is a breach.
//   B6.3 限时办结制  — due at acceptance from the item's promise (immediate: the
//                      hall's closing time that day); the clock stops while the
//                      case waits for the student's materials and the due instant
//                      moves by exactly the paused working time; warnings at 50%,
//                      80% and at the due instant.
//   B6.5 绿色通道    — a reason is required, the due instant may be brought
//                      forward, green cases come first in every list.
//
// Warnings are computed on read (every list and detail carries `progress`),
// from the stored acceptance, due and pause instants, so a list read at 16:59
// and one at 17:01 differ exactly as the clock says. Besides, a background
// sweeper (cases/warnings.hpp) records each level once and pushes it to the
// handler (and, at the due instant, to the responsible teacher).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/model.hpp"
#include "core/error.hpp"

namespace hall::cases {

// ---------------------------------------------------------------------------
// States and channels

enum class Status { received, waiting_materials, processing, referred, completed, refused };
std::string_view to_string(Status s);
std::optional<Status> parse_status(std::string_view s);
Text status_text(Status s);
bool is_closed(Status s);  // completed or refused

enum class Channel { ticket, phone, online, walk_in };
std::string_view to_string(Channel c);
std::optional<Channel> parse_channel(std::string_view s);

enum class Action {
  edit,         // change the item or summary (before any notice)
  mark,         // mark materials (B6.2)
  notice,       // issue a one-time notice (B6.2)
  accept,       // accept within remit: the clock starts (B6.3)
  complete,     // finish
  refer,        // outside remit: refer to an office and handler (B6.1)
  resubmit,     // the student brought materials: the case resumes
  assign,       // hand to another handler in the hall
  green,        // green channel (B6.5)
  unreachable,  // the student could not reach the office (B6.1)
};
std::string_view to_string(Action a);
bool allowed(Action a, Status from);
// 409 invalid_case_state naming the current status when not allowed.
void check_action(Action a, Status current);

// ---------------------------------------------------------------------------
// B6.2 materials and notices

enum class Mark { provided, missing, defective, not_applicable };
std::string_view to_string(Mark m);
std::optional<Mark> parse_mark(std::string_view s);
Text mark_text(Mark m);
// Asked of the student: missing or defective.
inline bool is_requested(Mark m) { return m == Mark::missing || m == Mark::defective; }

struct MaterialMark {
  std::int64_t material_id = 0;
  std::string name;
  bool required = true;
  std::optional<Mark> mark;  // nullopt: not marked yet
  std::string correction;    // defective: what to correct
};

// Checks one mark as typed: defective needs a correction (400 naming `field`),
// not_applicable only for conditional materials (400).
void check_mark(const MaterialMark& m, const std::string& field);
// Names of the materials not marked yet, in checklist order.
std::vector<std::string> unmarked(const std::vector<MaterialMark>& marks);
// B6.2: a notice may be issued only when every material is marked:
// 422 materials_unmarked, the message listing the names, field "materials".
void require_all_marked(const std::vector<MaterialMark>& marks);
// Acceptance needs every material marked and none missing or defective:
// 422 materials_unmarked / materials_incomplete listing the names.
void require_complete(const std::vector<MaterialMark>& marks);

// One material as a notice records it.
struct NoticeMaterial {
  std::int64_t material_id = 0;
  std::string name;
  Mark mark = Mark::provided;
  std::string correction;
};

struct BreachFinding {
  std::int64_t material_id = 0;
  std::string name;
  std::string reason;  // "was_provided" | "not_asked_before"
};
// B6.2 breach: `next` asks (missing/defective) for a material the student did
// not change since `previous` was issued, and `previous` marked it provided
// (was_provided) or did not ask for it at all — not applicable, or absent
// (not_asked_before). Asking again for what `previous` already asked is not a
// breach, nor is asking about a material the student brought again (changed).
std::vector<BreachFinding> detect_breach(const std::vector<NoticeMaterial>& previous,
                                         const std::vector<NoticeMaterial>& next,
                                         const std::set<std::int64_t>& changed_by_student);
std::string describe(const std::vector<BreachFinding>& findings, bool english);

// ---------------------------------------------------------------------------
// B6.1 referral

struct Referral {
  std::string office, handler, phone, location, note;
};
// office and handler must name someone: blank → 400 missing_field; an evasive
// value (不知道, 不清楚, 不确定, unknown, "?", …) → 400 referral_not_specific,
// naming the field. Lengths: office/handler ≤ 100, phone ≤ 40, location ≤ 200, note ≤ 500.
void check_referral(const Referral& r);
bool is_evasive(std::string_view value);

// ---------------------------------------------------------------------------
// B6.3 time limits (instants to the second, calendar::Instant)

using calendar::HallCalendar;
using calendar::Instant;

// Stored instants are UTC milliseconds (BIGINT); the calendar counts whole seconds.
inline Instant instant(long long ms) { return Instant{std::chrono::seconds(ms / 1000)}; }
inline long long millis(Instant t) {
  return static_cast<long long>(t.time_since_epoch().count()) * 1000;
}

// The due instant of a case accepted at `accepted` with an item promising
// `days` working days: the close of the days-th working day after the local
// date; immediate (0): the close of that day, or — when the hall is already
// closed or it is not a working day — the close of the next working day.
Instant due_on_acceptance(const HallCalendar& cal, Instant accepted, int days);

// The clock resumes at `resumed` after stopping at `paused`: the due instant
// moves by exactly the working time in between (returned in *paused_seconds).
Instant resume_due(const HallCalendar& cal, Instant due, Instant paused, Instant resumed,
                   std::int64_t* paused_seconds);

// B6.3 after the holiday data of a year arrives: the due instant replayed with
// the new calendar from the facts that made it — acceptance with the item's
// promise, each finished pause moving it by the pause's working time, and a due
// instant brought forward by hand (B6.5) replacing it from when it was set.
struct DueFacts {
  Instant accepted;
  int days = 0;
  std::vector<std::pair<Instant, Instant>> pauses;  // finished pauses: (paused, resumed)
  std::vector<std::pair<Instant, Instant>> manual;  // (set at, the due instant set)
};
struct ReplayedDue {
  Instant due;
  Instant original;                         // the due at acceptance
  std::vector<std::int64_t> pause_seconds;  // working seconds of each pause
  std::int64_t paused_seconds = 0;          // their sum
  bool provisional = false;                 // still rests on a year without official data
};
ReplayedDue replay_due(const HallCalendar& cal, const DueFacts& facts);

enum class Warning { none, half, eighty, due };  // B6.3: 50%, 80%, at the due instant
std::string_view to_string(Warning w);

struct Progress {
  std::int64_t allowed_seconds = 0;  // working seconds from acceptance to due, without pauses
  std::int64_t used_seconds =
      0;  // working seconds used so far (or until completion), without pauses
  std::int64_t remaining_seconds = 0;
  double fraction = 0;  // used / allowed
  Warning warning = Warning::none;
  bool overdue = false;  // past due and not completed, or completed late
  bool paused = false;
};
// accepted, due: as stored; paused_total: working seconds of finished pauses;
// paused_at: the running pause; finished: the completion instant.
Progress progress(const HallCalendar& cal, Instant accepted, Instant due, std::int64_t paused_total,
                  std::optional<Instant> paused_at, std::optional<Instant> finished, Instant now);
Warning warning_for(double fraction);
// B6.3: every level a case at warning `w` has crossed, lowest first (eighty →
// half, eighty): a sweep that first sees a case at 85% records both, so the
// handler's list shows each threshold once whatever the sweep missed.
std::vector<Warning> levels_reached(Warning w);
std::optional<Warning> parse_warning(std::string_view s);

// ---------------------------------------------------------------------------
// Numbers

// "BJ20261125-000012" (办件): local date of creation and the case id.
std::string case_number(const std::string& local_date_yyyy_mm_dd, std::int64_t id);
// "GZ20261125-000012-2" (告知): the case number's date and id, and the notice's sequence in the
// case.
std::string notice_number(const std::string& case_no, int seq);

}  // namespace hall::cases
