// The caller of a request, for services and the audit log.
#pragma once

#include "auth/principal.hpp"
#include "http/request.hpp"

namespace hall {

inline auth::Caller caller_of(const http::Request& req) {
  return auth::Caller{req.principal, req.remote_address, req.english};
}

}  // namespace hall
