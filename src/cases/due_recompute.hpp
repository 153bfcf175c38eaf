// B6.3 when a year's holiday schedule arrives (issue #10): a case accepted
// while the calendar was provisional (calendar/statutory.hpp) got a due instant
// that counted only weekends and statutory holidays as days off. When the
// official schedule is imported (or entered by hand), every open case whose due
// instant was computed provisionally is recomputed with the new calendar in the
// import's own transaction; each change is a 'due_recomputed' event in the
// case's timeline (public: the student sees the new promise too) and the
// teacher (cases.oversee) sees them all in one list.
#pragma once

#include <soci/soci.h>

#include "auth/principal.hpp"
#include "calendar/service.hpp"
#include "cases/module.hpp"
#include "core/json.hpp"

namespace hall::cases {

// The CalendarService::NationalChangeListener of cases: recomputes, writes,
// and returns one object per changed case {case_id, case_no, summary,
// previous_due_at, due_at, provisional}.
json::array recompute_provisional_dues(soci::session& s, const auth::Caller& c,
                                       const calendar::CalendarService& cal);

// The teacher's list of due instants changed by calendar imports, newest first
// (cases.oversee): {items: [{case_id, case_no, summary, status, handler, at,
// by, previous_due_at, due_at, provisional}]}.
json::object due_changes(Deps& deps, const auth::Caller& c);

}  // namespace hall::cases
