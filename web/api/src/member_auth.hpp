// Sessions bound to a member key (docs/security.md). A member proves they hold their key by
// signing a one-time challenge; the gateway answers with a session token, sent back as an
// HttpOnly cookie, and a CSRF token that every state-changing request repeats in a header.
// No password exists anywhere: the key never leaves the member's device.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "pilemesh/ledger/keys.hpp"

namespace pilemesh::api {

struct MemberSession {
  ledger::PublicKey member;
  std::string csrf;  // 64 hex digits, repeated in X-CSRF-Token by state-changing requests
  std::int64_t expires_ms = 0;
};

enum class LoginError { kRateLimited, kUnknownChallenge, kBadSignature, kBusy };

class MemberAuth {
 public:
  struct Options {
    std::int64_t challenge_ttl_ms = 2 * 60'000;
    std::int64_t session_ttl_ms = 12 * 3'600'000;
    // Challenges and logins per remote address and minute: enough for a household behind one
    // address, too few to try keys or flood the table.
    int attempts_per_minute = 20;  // per IPv4 address or IPv6 /64
    int attempts_per_minute_total = 1200;
    // Password attempts (login_proven) count apart and far lower: a password can be guessed,
    // a key cannot, and each attempt costs an Argon2id hash.
    int proven_attempts_per_minute = 5;
    int proven_attempts_per_minute_total = 30;
    std::size_t max_challenges = 4096;  // the oldest are dropped beyond this
    std::size_t max_sessions = 4096;    // then logins are refused (kBusy) until some end
    std::size_t max_sessions_per_member = 5;
  };

  // `gateway_key_hex` is signed into every login, so a challenge answered for one gateway
  // cannot be replayed to another.
  MemberAuth(std::function<std::int64_t()> now_ms, std::string gateway_key_hex, Options options);

  // The bytes a member signs to log in: "pilemesh/login/v1" ‖ gateway key (hex) ‖ nonce (hex).
  static std::string login_message(std::string_view gateway_key_hex, std::string_view nonce_hex);
  const std::string& gateway_key_hex() const { return gateway_key_hex_; }

  // A fresh nonce (64 hex digits) valid for challenge_ttl_ms; nullopt when `remote` is over
  // its attempts.
  std::optional<std::string> challenge(const std::string& remote);

  // Consumes the challenge (used or not, it is gone) and, when the signature over
  // login_message(nonce) by `member` checks, opens a session: its token and the session.
  // Whether `member` may log in at all (is a member) is the caller's check.
  struct Opened {
    std::string token;
    MemberSession session;
  };
  std::variant<Opened, LoginError> login(const std::string& remote, const ledger::PublicKey& member,
                                         std::string_view nonce_hex,
                                         const ledger::Signature& signature);

  // The same for a member proven otherwise: the owner of this gateway, whose key the gateway
  // holds, by their password (setup_routes.cpp). `proof` runs only within the attempt limit.
  std::variant<Opened, LoginError> login_proven(const std::string& remote,
                                                const ledger::PublicKey& member,
                                                const std::function<bool()>& proof);
  // The session a token names, while it lasts.
  std::optional<MemberSession> find(std::string_view token);
  void logout(std::string_view token);

  std::int64_t session_ttl_ms() const { return options_.session_ttl_ms; }

 private:
  // This minute's attempts, per source and in all.
  struct AttemptCounter {
    std::map<std::string, int> per_source;
    std::int64_t minute = -1;
    int total = 0;
  };
  bool allow_attempt(const std::string& remote, std::int64_t now);
  bool allow(AttemptCounter& counter, const std::string& remote, std::int64_t now, int per_source,
             int total);
  std::variant<Opened, LoginError> open_session(const ledger::PublicKey& member, std::int64_t now);
  static std::string attempt_source(std::string_view remote);
  void prune(std::int64_t now);

  std::function<std::int64_t()> now_ms_;
  std::string gateway_key_hex_;
  Options options_;
  // nonce → expiry and issue order (the oldest goes first when the table is full)
  std::map<std::string, std::pair<std::int64_t, std::uint64_t>> challenges_;
  std::uint64_t issued_ = 0;
  std::map<std::string, MemberSession> sessions_;  // sha256(token) hex → session
  AttemptCounter attempts_, proven_attempts_;
};

}  // namespace pilemesh::api
