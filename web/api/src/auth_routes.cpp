// POST /api/v1/auth/challenge, /login, /logout and GET /api/v1/auth/session: a member logs in
// by signing a one-time challenge with their key (member_auth.hpp, docs/security.md).
#include "auth_routes.hpp"

#include <nlohmann/json.hpp>

#include "caller.hpp"
#include "json_body.hpp"
#include "pilemesh/api/api.hpp"
#include "pilemesh/gateway/sharing_service.hpp"
#include "pilemesh/ledger/committed_state.hpp"
#include "pilemesh/ledger/service_codec.hpp"
#include "pilemesh/ledger/service_state.hpp"

namespace pilemesh::api {
namespace {

using nlohmann::json;
using web::json_error;
using web::Request;
using web::Response;

Response ok(const json& j) {
  return web::json_response(200, j.dump());
}

Response too_many() {
  Response r = json_error(429, "rate_limited", "too many login attempts; wait a minute");
  r.headers.emplace_back("Retry-After", "60");
  return r;
}

// The session cookie: never readable by scripts, never sent by other sites' requests, and over
// HTTPS never sent over plain HTTP.
std::string session_cookie(std::string_view token, std::int64_t max_age_s, bool secure) {
  return std::string(kSessionCookie) + "=" + std::string(token) +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s) +
         (secure ? "; Secure" : "");
}

json member_json(gateway::SharingService& s, const ledger::PublicKey& key) {
  const ledger::CommittedState view(s.ledger().node().store().state());
  const auto m = ledger::ServiceReader(view).member(key);
  json j{{"member", key.hex()}};
  if (m) {
    const json record = ledger::service_to_json(*m);
    j["role"] = record["role"];
    j["status"] = record["status"];
    j["admin"] = is_admin(*m);
  }
  return j;
}

Response login(MemberAuth& auth, gateway::SharingService& s, const Request& r) {
  auto parsed = json_body(r);
  if (auto* e = std::get_if<Response>(&parsed)) return std::move(*e);
  const json& body = std::get<json>(parsed);
  for (const char* field : {"key", "nonce", "signature"}) {
    if (!body.is_object() || !body.contains(field) || !body[field].is_string()) {
      return json_error(422, "invalid_field",
                        "expected {\"key\": \"<member key>\", \"nonce\": \"<from the "
                        "challenge>\", \"signature\": \"<hex, over the challenge's message>\"}");
    }
  }
  auto key = ledger::PublicKey::from_hex(body["key"].get<std::string>());
  ledger::Signature signature;
  if (!key || !ledger::from_hex(body["signature"].get<std::string>(), signature.bytes))
    return json_error(422, "invalid_field", "key: 64 hex digits; signature: 128 hex digits");
  {
    const ledger::CommittedState view(s.ledger().node().store().state());
    const auto m = ledger::ServiceReader(view).member(*key);
    if (!m) {
      return json_error(403, "not_a_member",
                        "this key is not a member yet: submit register_member, wait for the next "
                        "block, then log in");
    }
    if (m->status == ledger::MemberStatus::kMoved)
      return json_error(403, "moved",
                        "this account moved to " + m->moved_to.hex() + "; log in with that key");
  }
  return login_answer(
      auth, s, *key,
      auth.login(r.remote_address, *key, body["nonce"].get<std::string>(), signature), r.secure);
}

}  // namespace

Response login_answer(MemberAuth& auth, gateway::SharingService& s, const ledger::PublicKey& key,
                      const std::variant<MemberAuth::Opened, LoginError>& result, bool secure) {
  if (const auto* e = std::get_if<LoginError>(&result)) {
    switch (*e) {
      case LoginError::kRateLimited:
        return too_many();
      case LoginError::kUnknownChallenge:
        return json_error(401, "unknown_challenge",
                          "the challenge is unknown, used or expired; ask for a new one");
      case LoginError::kBadSignature:
        return json_error(401, "bad_signature",
                          "the signature does not match the challenge's message and the key");
      case LoginError::kBusy: {
        Response busy = json_error(503, "busy",
                                   "this gateway holds as many sessions as it can; try again "
                                   "in a few minutes");
        busy.headers.emplace_back("Retry-After", "300");
        return busy;
      }
    }
  }
  const auto& opened = std::get<MemberAuth::Opened>(result);
  json j = member_json(s, key);
  j["csrf"] = opened.session.csrf;
  j["expires_ms"] = opened.session.expires_ms;
  Response resp = ok(j);
  resp.headers.emplace_back("Set-Cookie",
                            session_cookie(opened.token, auth.session_ttl_ms() / 1000, secure));
  return resp;
}

std::shared_ptr<MemberAuth> make_member_auth(gateway::SharingService& service) {
  return std::make_shared<MemberAuth>([&service] { return service.ledger().now_ms(); },
                                      service.ledger().node().key().public_key().hex(),
                                      MemberAuth::Options{});
}

std::string event_audience(const ApiContext& context, const web::Request& request) {
  if (!context.auth || context.service == nullptr) return "";
  const auto caller = optional_caller(*context.auth, *context.service, request);
  if (!caller) return "";
  return caller->admin ? std::string(kAdminAudience) : caller->key.hex();
}

void register_auth_routes(web::Router& router, const ApiContext& context,
                          std::shared_ptr<MemberAuth> auth) {
  gateway::SharingService* s = context.service;
  if (s == nullptr) return;
  router.add("POST", "/api/v1/auth/challenge", [auth](const Request& r) {
    auto nonce = auth->challenge(r.remote_address);
    if (!nonce) return too_many();
    // The client builds the message itself, from the gateway key it trusts (docs/api.md): a
    // message handed over whole could be another gateway's, relayed.
    return ok({{"nonce", *nonce}, {"gateway_key", auth->gateway_key_hex()}});
  });
  router.add("POST", "/api/v1/auth/login",
             [auth, s](const Request& r) { return login(*auth, *s, r); });
  router.add("POST", "/api/v1/auth/logout", [auth](const Request& r) {
    if (r.header) auth->logout(web::cookie_value(r.header("Cookie"), kSessionCookie));
    Response resp = ok(json::object());
    resp.headers.emplace_back("Set-Cookie", session_cookie("", 0, r.secure));
    return resp;
  });
  router.add("GET", "/api/v1/auth/session", [auth, s](const Request& r) {
    const auto session =
        r.header ? auth->find(web::cookie_value(r.header("Cookie"), kSessionCookie)) : std::nullopt;
    auto caller = authenticate(*auth, *s, r, false);
    if (auto* e = std::get_if<Response>(&caller)) return std::move(*e);
    if (!session) return json_error(401, "not_logged_in", "log in first");
    json j = member_json(*s, std::get<Caller>(caller).key);
    j["csrf"] = session->csrf;
    j["expires_ms"] = session->expires_ms;
    return ok(j);
  });
}

}  // namespace pilemesh::api
