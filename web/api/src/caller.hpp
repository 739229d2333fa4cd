// Who is asking: the member a request's session cookie names (member_auth.hpp), checked the
// same way by every endpoint that shows or changes one member's things.
#pragma once

#include <variant>

#include "member_auth.hpp"
#include "pilemesh/ledger/service_records.hpp"
#include "pilemesh/web/http.hpp"

namespace pilemesh::gateway {
class SharingService;
}

namespace pilemesh::api {

inline constexpr std::string_view kSessionCookie = "pm_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

struct Caller {
  ledger::PublicKey key;
  bool admin = false;  // a verified admin member, who may read every member's things
};

// The caller, or the response to send instead: 401 without a live session; for a request
// that changes something (`changes_state`), 403 unless it repeats the session's CSRF token.
std::variant<Caller, web::Response> authenticate(MemberAuth& auth, gateway::SharingService& service,
                                                 const web::Request& request, bool changes_state);

// The caller when the request carries a live session, else nothing (for endpoints that show
// more to the member concerned but answer everyone).
std::optional<Caller> optional_caller(MemberAuth& auth, gateway::SharingService& service,
                                      const web::Request& request);

// A verified admin, who may read every member's things.
bool is_admin(const ledger::MemberRecord& member);

// The caller, or the response to send instead: 401 without a live session, 403 unless the
// caller is `member` or an admin (`what` names what is refused).
std::variant<Caller, web::Response> authenticate_as(MemberAuth& auth,
                                                    gateway::SharingService& service,
                                                    const web::Request& request,
                                                    const ledger::PublicKey& member,
                                                    std::string_view what);

// 403 "forbidden" with what the caller may do instead.
web::Response forbidden(std::string_view message);

}  // namespace pilemesh::api
