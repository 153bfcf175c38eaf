// Complaints, suggestions and praise (C1–C3): pure rules, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hall::feedback {

// Kinds, C1 scope categories and C2 channels, as stored.
const std::vector<std::string>& kinds();       // complaint, suggestion, praise
const std::vector<std::string>& categories();  // teaching, logistics, hall, departments, other
const std::vector<std::string>& channels();    // window, phone, wechat, web
bool is_one_of(const std::vector<std::string>& set, std::string_view v);

// C3 workflow: received → assigned → investigating → answered → closed
// (accepted by the student, or closed after the escalated second answer);
// one dispute of an answer reopens it (investigating, escalated to the teacher).
enum class Action { assign, start, answer, accept, dispute, close };
// The status after the action, or nullopt when the action is not allowed in
// that status (disputed: whether the one dispute has been used).
std::optional<std::string> next_status(std::string_view status, Action a, bool disputed);

// Deadlines in working days (C3): acknowledge (assigned to a handler) and feedback.
constexpr int kAckWorkingDays = 1;
constexpr int kFeedbackWorkingDays = 5;
// "overdue" (past due and not done), "due_soon" (within a day), or "".
std::string deadline_state(std::string_view status, long long now_ms, long long ack_due, long long feedback_due);
// Which of the two C3 deadlines is missed at now_ms: the acknowledgement (still
// "received" after ack_due) and/or the feedback (not answered after feedback_due).
// An item overdue only on its acknowledgement still has its feedback date ahead,
// so a page must say which one was missed, not just "overdue" beside the other.
struct MissedDeadlines {
  bool ack = false;
  bool feedback = false;
};
MissedDeadlines missed_deadlines(std::string_view status, long long now_ms, long long ack_due,
                                 long long feedback_due);

// Tracking number: kind letter (T complaint, J suggestion, B praise) + local date
// yyyymmdd + a secret of 10 characters from an alphabet without look-alikes
// (no 0/O, 1/I), 50 random bits, e.g. T20261126-7KQ2M9XH4D. With the phone number
// it is all a person needs to read and act on the item without signing in, so
// it must not be guessable; guesses are throttled besides (feedback/service.cpp).
constexpr std::string_view kTrackingAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr std::size_t kTrackingSecretLength = 10;
std::string tracking_number(std::string_view kind, std::string_view local_date_yyyy_mm_dd,
                            std::uint64_t random50);
// A typed tracking number as stored: spaces dropped, letters upper-cased.
std::string normalize_tracking_no(std::string_view typed);

// Attachments (C2): PNG, JPEG, GIF, WebP images and PDF by magic bytes; the
// content type, or "" when the bytes are none of these.
std::string sniff_attachment(std::string_view bytes);
constexpr std::size_t kMaxAttachmentBytes = 5u << 20;
constexpr int kMaxAttachments = 5;

// What a WeChat text asks for.
struct WechatIntent {
  enum Kind { complaint, suggestion, query, bind, help } kind = help;
  std::string text;  // the content after the keyword, trimmed
};
WechatIntent classify_wechat_text(std::string_view content);

}  // namespace hall::feedback

namespace hall::feedback {

// Ratings (B5): the five levels of the national 好差评 scale, 1 = 非常满意 … 5 = 非常不满意.
const std::vector<std::string>& rating_levels();  // zh names, index 0 = level 1
const std::vector<std::string>& rating_tags();    // efficiency, attitude, guidance, convenience
// Satisfaction rate = share of the top three levels (非常满意, 满意, 基本满意) among
// ratings; 0 ratings → nullopt. B5 target: at least 96%.
std::optional<double> satisfaction_rate(long long top_three, long long total);
constexpr double kSatisfactionTarget = 0.96;
inline bool is_bad_rating(int level) { return level >= 4; }  // opens a return visit
constexpr int kPortalRatingDays = 7;          // the portal offers rating for 7 days after the service
constexpr int kPadRatingMinutes = 30;         // the pad offers it for 30 minutes after the service
constexpr int kReturnVisitWorkingDays = 2;    // return visit due within 2 working days

// Whether a service may be rated at `now_ms` (B5): only once it is finished (a ticket
// done, a case completed), and only while the channel offers it — the pad for
// kPadRatingMinutes after the service, the portal for kPortalRatingDays.
enum class RatingRefusal { not_finished, closed };
std::optional<RatingRefusal> rating_refusal(bool finished, long long finished_at_ms, long long now_ms, bool pad);

}  // namespace hall::feedback
