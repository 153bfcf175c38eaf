// Use cases of the queue (A5, A6, B6.5): take a number, call it at a window,
// show it on the board, live. Each use case checks who may do it, runs in one
// transaction with its audit record (through the WriteQueue: group commit on
// SQLite), and publishes its push events only after that transaction committed.
//
// Push topics (SSE, http/push.hpp):
//   hall:<id>        board: `called` {ticket_number, window_number, called_at, spoken, recall},
//                    `waiting` {"waiting":[{group, name, count}]}
//   ticket:<token>   status page: `ticket` {number, item_name, status, people_ahead, …}
//   window:<id>      console: `console` {window_id, reason, ticket_id}
// Positions and waiting counts change for many tickets at once: LiveUpdates
// (live_updates.hpp) recomputes them on its own thread and publishes only what changed.
//
// The use cases are split by file: take.cpp (taking a number, own tickets, green
// channel, public status), window.cpp (window sessions and calling), board.cpp
// (boards, QR codes), appointments.cpp; views.cpp renders JSON; service.cpp holds the
// access checks and publishing they share.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "auth/principal.hpp"
#include "core/json.hpp"
#include "queue/live_updates.hpp"
#include "queue/model.hpp"
#include "queue/module.hpp"
#include "queue/store.hpp"
#include "queue/views.hpp"
#include "queue/write_queue.hpp"

namespace hall::queue {

struct TicketListQuery {
  std::optional<std::int64_t> hall_id, window_id;
  std::string status, date;
  int page = 1, page_size = 20;
};

class QueueService {
 public:
  explicit QueueService(Deps& deps);
  ~QueueService();

  // --- tickets ------------------------------------------------------------
  struct Taken {
    json::object ticket;
    bool created = false;  // false: the same Idempotency-Key returned the ticket it made before
  };
  Taken take(const auth::Caller& c, std::int64_t item_id,
             const std::optional<std::string>& student_no, const std::string& idempotency_key);
  json::object mine(const auth::Caller& c);
  json::object ticket(const auth::Caller& c, std::int64_t id);
  json::object cancel(const auth::Caller& c, std::int64_t id);
  json::object list(const auth::Caller& c, const TicketListQuery& q);
  json::object mark_green(const auth::Caller& c, std::int64_t id, const std::string& reason_code,
                          const std::string& reason_text);
  json::object green_reasons(bool english);

  // --- public status (by unguessable token) ---------------------------------
  json::object public_status(const std::string& token, bool english);
  std::string status_token_exists(const std::string& token);  // the token, or 404

  // --- windows --------------------------------------------------------------
  json::object console(const auth::Caller& c, std::int64_t window_id);
  // The windows the caller may open (A6: staff their own unit's, the teacher and administrators
  // every one), the one they are signed in at first, then their unit's, each with who is signed
  // in and the queue length — so the console's picker offers nothing it would refuse.
  json::object my_windows(const auth::Caller& c, std::optional<std::int64_t> hall_id);
  json::object open_session(const auth::Caller& c, std::int64_t window_id);
  void close_session(const auth::Caller& c, std::int64_t window_id);
  json::object pause(const auth::Caller& c, std::int64_t window_id, const std::string& reason);
  json::object resume(const auth::Caller& c, std::int64_t window_id);
  json::object call_next(const auth::Caller& c, std::int64_t window_id);
  json::object recall(const auth::Caller& c, std::int64_t window_id);
  json::object start(const auth::Caller& c, std::int64_t ticket_id);
  json::object finish(const auth::Caller& c, std::int64_t ticket_id, const std::string& outcome,
                      const std::string& note);
  json::object no_show(const auth::Caller& c, std::int64_t ticket_id);
  json::object rejoin(const auth::Caller& c, std::int64_t ticket_id);
  json::object transfer(const auth::Caller& c, std::int64_t ticket_id,
                        std::optional<std::int64_t> window_id, std::optional<std::int64_t> item_id);
  // The window, checked for the caller (404 / 403 window_not_yours).
  void check_window_access(const auth::Caller& c, std::int64_t window_id);

  // --- boards ---------------------------------------------------------------
  json::object board(const auth::Caller& c, std::int64_t hall_id);
  void check_board_access(const auth::Caller& c, std::int64_t hall_id);

  // --- appointments ---------------------------------------------------------
  json::object slots(std::int64_t item_id, const std::string& date);
  json::object book(const auth::Caller& c, std::int64_t item_id, const std::string& slot_start);
  json::object my_appointments(const auth::Caller& c);
  json::object cancel_appointment(const auth::Caller& c, std::int64_t id);
  json::object check_in(const auth::Caller& c, std::int64_t id,
                        const std::optional<std::string>& student_no);
  // Booked appointments not checked in by slot end + 15 min become no_show; returns how many.
  int sweep_no_shows();

  // The hall's local date of an instant.
  std::string local_date(Millis at) const;
  WriteQueue& writes() { return *writes_; }
  // Recomputes and publishes positions and waiting counts now (tests, benchmarks).
  void flush_live_updates() { live_->flush(); }

 private:
  using View = Views::View;
  struct Publish;  // events to publish after a commit

  json::object ticket_json(soci::session& s, const store::Ticket& t, View v, Millis now,
                           const store::ItemInfo* item = nullptr) {
    return views_.ticket_json(s, t, v, now, item);
  }
  json::object public_json(soci::session& s, const store::Ticket& t, Millis now, bool english) {
    return views_.public_json(s, t, now, english);
  }
  bool is_supervisor(const auth::Caller& c) const;  // teacher or admin
  bool may_operate(const auth::Caller& c, const store::WindowInfo& w) const;
  store::WindowInfo window_or_404(soci::session& s, std::int64_t id);
  store::Ticket ticket_or_404(soci::session& s, std::int64_t id, bool for_update);
  // Common path of start / finish / no-show / transfer: the ticket must be with a window the caller
  // operates.
  json::object window_ticket_action(
      const auth::Caller& c, std::int64_t ticket_id, Action a,
      const std::function<void(soci::session&, store::Ticket&, Millis)>& apply,
      const std::string& audit_action, const json::object& audit_extra);
  void after_commit(Publish& p);
  json::object answer_and_publish(const store::Ticket& t, const std::string& reason, Millis now);
  void publish_called(std::int64_t hall_id, const json::object& call);
  void notify_windows_of_item(soci::session& s, std::int64_t item_id, std::int64_t hall_id,
                              std::set<std::int64_t>& windows);
  // Creates a waiting ticket (take-a-number and appointment check-in).
  struct NewTicket {
    std::int64_t hall_id = 0, item_id = 0, item_version_id = 0, student_id = 0, seq = 0;
    std::string group, channel, date;
    std::optional<std::int64_t> appointment_id, by_user, by_device;
    std::optional<Millis> slot_start;
  };
  std::int64_t insert_ticket(soci::session& s, const NewTicket& n, Millis now);

  Deps& deps_;
  bool pg_;
  std::unique_ptr<WriteQueue> writes_;
  Views views_;
  std::unique_ptr<LiveUpdates> live_;  // last: its thread reads through views_
};

// An SVG QR code of `text` (libqrencode), black on white, with a quiet zone.
std::string qr_svg(const std::string& text);

}  // namespace hall::queue
