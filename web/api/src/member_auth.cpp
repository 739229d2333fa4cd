#include "member_auth.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>

#include "pilemesh/ledger/hash.hpp"

namespace pilemesh::api {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;

std::string random_hex() {
  std::array<std::uint8_t, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return ledger::to_hex(bytes);
}

// Sessions are found by the hash of their token, so the table never holds a usable token and
// a lookup's timing says nothing about the tokens it holds.
std::string token_id(std::string_view token) {
  return ledger::sha256(token).hex();
}

template <typename Map, typename Expiry>
void erase_expired(Map& map, std::int64_t now, Expiry expiry) {
  for (auto it = map.begin(); it != map.end();)
    it = expiry(it->second) <= now ? map.erase(it) : ++it;
}

}  // namespace

MemberAuth::MemberAuth(std::function<std::int64_t()> now_ms, std::string gateway_key_hex,
                       Options options)
    : now_ms_(std::move(now_ms)), gateway_key_hex_(std::move(gateway_key_hex)), options_(options) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
}

std::string MemberAuth::login_message(std::string_view gateway_key_hex,
                                      std::string_view nonce_hex) {
  std::string m = "pilemesh/login/v1";
  m += gateway_key_hex;
  m += nonce_hex;
  return m;
}

std::string MemberAuth::attempt_source(std::string_view remote) {
  // One IPv6 host may use a whole /64: count it as one.
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(remote), ec);
  if (ec || !address.is_v6()) return std::string(remote);
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

bool MemberAuth::allow_attempt(const std::string& remote, std::int64_t now) {
  return allow(attempts_, remote, now, options_.attempts_per_minute,
               options_.attempts_per_minute_total);
}

bool MemberAuth::allow(AttemptCounter& counter, const std::string& remote, std::int64_t now,
                       int per_source, int total) {
  const std::int64_t minute = now / kMinuteMs;
  if (minute != counter.minute) {
    counter.per_source.clear();
    counter.minute = minute;
    counter.total = 0;
  }
  // Over every source together, and then per source; a flood of new sources is refused once
  // the table holds max_challenges of them, until the next minute.
  if (++counter.total > total) return false;
  const std::string source = attempt_source(remote);
  auto it = counter.per_source.find(source);
  if (it == counter.per_source.end()) {
    if (counter.per_source.size() >= options_.max_challenges) return false;
    it = counter.per_source.emplace(source, 0).first;
  }
  return ++it->second <= per_source;
}

void MemberAuth::prune(std::int64_t now) {
  erase_expired(challenges_, now, [](const auto& expiry) { return expiry.first; });
  erase_expired(sessions_, now, [](const MemberSession& s) { return s.expires_ms; });
}

std::optional<std::string> MemberAuth::challenge(const std::string& remote) {
  const std::int64_t now = now_ms_();
  if (!allow_attempt(remote, now)) return std::nullopt;
  if (challenges_.size() >= options_.max_challenges) prune(now);
  if (challenges_.size() >= options_.max_challenges) {
    // Still full of live challenges: drop the oldest.
    auto oldest = challenges_.begin();
    for (auto it = challenges_.begin(); it != challenges_.end(); ++it)
      if (it->second < oldest->second) oldest = it;
    challenges_.erase(oldest);
  }
  std::string nonce = random_hex();
  challenges_.emplace(nonce, std::pair{now + options_.challenge_ttl_ms, issued_++});
  return nonce;
}

std::variant<MemberAuth::Opened, LoginError> MemberAuth::login(const std::string& remote,
                                                               const ledger::PublicKey& member,
                                                               std::string_view nonce_hex,
                                                               const ledger::Signature& signature) {
  const std::int64_t now = now_ms_();
  if (!allow_attempt(remote, now)) return LoginError::kRateLimited;
  auto it = challenges_.find(std::string(nonce_hex));
  if (it == challenges_.end() || it->second.first <= now) {
    if (it != challenges_.end()) challenges_.erase(it);
    return LoginError::kUnknownChallenge;
  }
  challenges_.erase(it);
  const std::string message = login_message(gateway_key_hex_, nonce_hex);
  if (!ledger::verify(
          member, std::span(reinterpret_cast<const std::uint8_t*>(message.data()), message.size()),
          signature)) {
    return LoginError::kBadSignature;
  }
  return open_session(member, now);
}

std::variant<MemberAuth::Opened, LoginError> MemberAuth::login_proven(
    const std::string& remote, const ledger::PublicKey& member,
    const std::function<bool()>& proof) {
  const std::int64_t now = now_ms_();
  // Counted before the proof is checked: a password guess costs an attempt either way.
  if (!allow(proven_attempts_, remote, now, options_.proven_attempts_per_minute,
             options_.proven_attempts_per_minute_total))
    return LoginError::kRateLimited;
  if (!proof()) return LoginError::kBadSignature;
  return open_session(member, now);
}

std::variant<MemberAuth::Opened, LoginError> MemberAuth::open_session(
    const ledger::PublicKey& member, std::int64_t now) {
  // A member keeps a few sessions (phone, laptop ...): a new one replaces their oldest. When
  // the gateway's table is full of other members' live sessions, nobody's is taken away.
  auto oldest_of_member = sessions_.end();
  std::size_t of_member = 0;
  for (auto s = sessions_.begin(); s != sessions_.end(); ++s) {
    if (s->second.member != member) continue;
    ++of_member;
    if (oldest_of_member == sessions_.end() ||
        s->second.expires_ms < oldest_of_member->second.expires_ms)
      oldest_of_member = s;
  }
  if (of_member >= options_.max_sessions_per_member) sessions_.erase(oldest_of_member);
  if (sessions_.size() >= options_.max_sessions) prune(now);
  if (sessions_.size() >= options_.max_sessions) return LoginError::kBusy;
  Opened opened;
  opened.token = random_hex();
  opened.session = {member, random_hex(), now + options_.session_ttl_ms};
  sessions_.emplace(token_id(opened.token), opened.session);
  return opened;
}

std::optional<MemberSession> MemberAuth::find(std::string_view token) {
  if (token.size() != 64) return std::nullopt;
  auto it = sessions_.find(token_id(token));
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires_ms <= now_ms_()) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void MemberAuth::logout(std::string_view token) {
  sessions_.erase(token_id(token));
}

}  // namespace pilemesh::api
