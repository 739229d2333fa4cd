#include "caller.hpp"

#include <sodium.h>

#include "pilemesh/gateway/sharing_service.hpp"
#include "pilemesh/ledger/committed_state.hpp"
#include "pilemesh/ledger/service_state.hpp"

namespace pilemesh::api {
namespace {

// Nothing for a key that moved to another (recover_account): its sessions end with it.
std::optional<Caller> caller_of(gateway::SharingService& service, const MemberSession& session) {
  const ledger::CommittedState view(service.ledger().node().store().state());
  const auto m = ledger::ServiceReader(view).member(session.member);
  if (!m || m->status == ledger::MemberStatus::kMoved) return std::nullopt;
  return Caller{session.member, is_admin(*m)};
}

std::optional<MemberSession> session_of(MemberAuth& auth, const web::Request& request) {
  if (!request.header) return std::nullopt;
  const std::string token = web::cookie_value(request.header("Cookie"), kSessionCookie);
  if (token.empty()) return std::nullopt;
  return auth.find(token);
}

}  // namespace

bool is_admin(const ledger::MemberRecord& member) {
  return member.role == ledger::Role::kAdmin && member.status == ledger::MemberStatus::kVerified;
}

std::variant<Caller, web::Response> authenticate_as(MemberAuth& auth,
                                                    gateway::SharingService& service,
                                                    const web::Request& request,
                                                    const ledger::PublicKey& member,
                                                    std::string_view what) {
  auto caller = authenticate(auth, service, request, false);
  if (const auto* c = std::get_if<Caller>(&caller); c && c->key != member && !c->admin)
    return forbidden("only the member and admins see a member's " + std::string(what));
  return caller;
}

web::Response forbidden(std::string_view message) {
  return web::json_error(403, "forbidden", message);
}

std::variant<Caller, web::Response> authenticate(MemberAuth& auth, gateway::SharingService& service,
                                                 const web::Request& request, bool changes_state) {
  const auto session = session_of(auth, request);
  const auto caller = session ? caller_of(service, *session) : std::nullopt;
  if (!caller) {
    return web::json_error(401, "not_logged_in",
                           "log in first: POST /api/v1/auth/challenge, sign it, then POST "
                           "/api/v1/auth/login");
  }
  if (changes_state) {
    const std::string sent = request.header(kCsrfHeader);
    if (sent.size() != session->csrf.size() ||
        sodium_memcmp(sent.data(), session->csrf.data(), sent.size()) != 0) {
      return web::json_error(403, "csrf",
                             "repeat the session's CSRF token (from the login answer) in the "
                             "X-CSRF-Token header");
    }
  }
  return *caller;
}

std::optional<Caller> optional_caller(MemberAuth& auth, gateway::SharingService& service,
                                      const web::Request& request) {
  const auto session = session_of(auth, request);
  if (!session) return std::nullopt;
  return caller_of(service, *session);
}

}  // namespace pilemesh::api
