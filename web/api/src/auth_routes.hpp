// What the login routes share with the owner's password login (owner_routes.cpp).
#pragma once

#include <variant>

#include "member_auth.hpp"
#include "pilemesh/web/http.hpp"

namespace pilemesh::gateway {
class SharingService;
}

namespace pilemesh::api {

// The answer to a login attempt: the member, the CSRF token and the session cookie; or the
// refusal (429 rate_limited, 401, 503 busy). `secure`: the request came over TLS.
web::Response login_answer(MemberAuth& auth, gateway::SharingService& service,
                           const ledger::PublicKey& key,
                           const std::variant<MemberAuth::Opened, LoginError>& result, bool secure);

}  // namespace pilemesh::api
