// Who is making a request: a person (by role) or a hall device (by kind), or nobody.
#pragma once

#include <cstdint>
#include <string>

namespace hall::auth {

enum class PrincipalKind { anonymous, user, device };

struct Principal {
  PrincipalKind kind = PrincipalKind::anonymous;
  std::int64_t user_id = 0;    // users.id for people
  std::int64_t device_id = 0;  // devices.id for devices
  std::int64_t hall_id = 0;    // a device's hall
  std::int64_t window_id = 0;  // a device's window (rating pads), 0 if none
  std::int64_t unit_id = 0;    // a staff member's resident unit, 0 if none
  std::string login;           // login, or "device:<id>"
  std::string name;
  std::string role;            // student, staff, teacher, unit_head, admin; kiosk, board, rating_pad, checkin
  std::int64_t session_id = 0;
  std::string csrf_token;      // of the cookie session
  bool via_cookie = false;     // cookie-authenticated requests must carry the CSRF token on writes

  bool is_anonymous() const { return kind == PrincipalKind::anonymous; }
  bool is_user() const { return kind == PrincipalKind::user; }
  bool is_device() const { return kind == PrincipalKind::device; }
  bool is_student() const { return is_user() && role == "student"; }
};

// The principal plus where the request came from: what services need to check
// permissions and to write the audit log.
struct Caller {
  Principal principal;
  std::string address;
  bool english = false;
};

}  // namespace hall::auth
