// Demo complaints, suggestions and praise (C1–C3) and ratings (B5).
//
// Items of every kind, C1 category and C2 channel (window 10, the phone line,
// WeChat, the portal), left in every workflow state (received — one past its
// acknowledgement deadline —, assigned, investigating, answered, closed, and one
// disputed and escalated to the teacher, one closed after a dispute), each with
// the events the workflow writes and the deadlines computed on the working-day
// calendar from its creation exactly as FeedbackService does (C3). Their
// complainants are students 2023001021… and people without an account, never
// 2023001001…2023001005, whom the API tests use.
//
// Ratings: the completed demo cases are rated in the portal two hours after
// completion through insert_rating() (a bad one opens its return visit),
// except the most recent, left for its student to rate (2023001014).
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <vector>

#include "calendar/model.hpp"

namespace hall::feedback {

void seed_demo(soci::session& s, const calendar::HallCalendar& cal, std::int64_t now,
               int utc_offset_minutes, const std::vector<std::int64_t>& completed_cases);

}  // namespace hall::feedback
